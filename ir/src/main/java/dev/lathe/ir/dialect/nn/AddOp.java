package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.FoldResult;
import java.util.List;

/**
 * {@code nn.add}: elementwise sum with numpy broadcasting. No attributes.
 *
 * <p>{@code %2 = "nn.add"(%0, %1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>}
 *
 * <p>Folds {@code x + (-0.0)} and integer {@code x + 0} to {@code x} (either side) when no
 * broadcasting happened. {@code x + 0.0} is not folded: it turns {@code -0.0} into {@code 0.0}.
 */
public final class AddOp extends ElementwiseBinaryOp {

    public static final String NAME = "nn.add";

    public AddOp() {
        super(NAME, "elementwise a + b with numpy broadcasting", true);
    }

    @Override
    protected double applyFloat(double a, double b) {
        return a + b;
    }

    @Override
    protected long applyInteger(long a, long b) {
        return a + b;
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return keepEither(op, constantOperands, -0.0, 0);
    }
}
