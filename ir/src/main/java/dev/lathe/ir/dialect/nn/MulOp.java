package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.FoldResult;
import java.util.List;

/**
 * {@code nn.mul}: elementwise product with numpy broadcasting. No attributes.
 *
 * <p>{@code %2 = "nn.mul"(%0, %1) : (tensor<4xf16>, tensor<f16>) -> tensor<4xf16>}
 *
 * <p>Folds {@code x * 1} to {@code x} (either side) when no broadcasting happened. Never folds
 * {@code x * 0}: {@code NaN * 0} is NaN, {@code Inf * 0} is NaN and {@code -1 * 0} is -0.0.
 */
public final class MulOp extends ElementwiseBinaryOp {

    public static final String NAME = "nn.mul";

    public MulOp() {
        super(NAME, "elementwise a * b with numpy broadcasting", true);
    }

    @Override
    protected double applyFloat(double a, double b) {
        return a * b;
    }

    @Override
    protected long applyInteger(long a, long b) {
        return a * b;
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return keepEither(op, constantOperands, 1.0, 1);
    }
}
