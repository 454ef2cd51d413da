package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.FoldResult;
import java.util.List;

/**
 * {@code nn.div}: elementwise quotient with numpy broadcasting. No attributes. Floats follow
 * IEEE-754 ({@code 1/0 = Inf}, {@code 0/0 = NaN}); integers truncate toward zero as ONNX Div
 * does, and an integer division by zero is an error of the reference semantics.
 *
 * <p>{@code %2 = "nn.div"(%0, %1) : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>}
 *
 * <p>Folds {@code x / 1} to {@code x} when no broadcasting happened.
 */
public final class DivOp extends ElementwiseBinaryOp {

    public static final String NAME = "nn.div";

    public DivOp() {
        super(NAME, "elementwise a / b with numpy broadcasting; integers truncate toward zero", false);
    }

    @Override
    protected double applyFloat(double a, double b) {
        return a / b;
    }

    @Override
    protected long applyInteger(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("'" + NAME + "': integer division by zero (" + a + " / 0)");
        }
        return a / b;
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return keepOther(op, constantOperands, 1, 1.0, 1);
    }
}
