package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.FoldResult;
import java.util.List;

/**
 * {@code nn.sub}: elementwise difference with numpy broadcasting. No attributes.
 *
 * <p>{@code %2 = "nn.sub"(%0, %1) : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>}
 *
 * <p>Folds {@code x - 0.0} and integer {@code x - 0} to {@code x} when no broadcasting
 * happened. {@code x - (-0.0)} is not folded: it is {@code x + 0.0}, which changes {@code -0.0}.
 */
public final class SubOp extends ElementwiseBinaryOp {

    public static final String NAME = "nn.sub";

    public SubOp() {
        super(NAME, "elementwise a - b with numpy broadcasting", false);
    }

    @Override
    protected double applyFloat(double a, double b) {
        return a - b;
    }

    @Override
    protected long applyInteger(long a, long b) {
        return a - b;
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return keepOther(op, constantOperands, 1, 0.0, 0);
    }
}
