package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.lower.ElementwiseKernel;
import dev.lathe.passes.lower.ElementwiseOpLowering;
import dev.lathe.passes.lower.LoopBuilder;

/**
 * {@code nn.cast} with {@link dev.lathe.ir.dialect.nn.CastOp}'s reference conversions, built from
 * {@code loop.cast} (which already rounds to nearest even, truncates and saturates float to
 * integer with NaN giving 0, and wraps or extends integers): the extra steps here are where the
 * reference's route through double matters.
 */
final class CastLowering implements ElementwiseOpLowering {

    @Override
    public ElementwiseKernel.Body body(Operation op) {
        ScalarType to = ((TensorType) op.result().type()).elementType();
        return (b, args) -> convert(b, args.get(0), to);
    }

    @Override
    public boolean mayRunInPlace(Operation op) {
        return ((TensorType) op.operand(0).type()).elementType() == ((TensorType) op.result().type()).elementType();
    }

    /** {@code x} (scalar or vector) converted to {@code to} as the reference does. */
    static Value convert(LoopBuilder b, Value x, ScalarType to) {
        ScalarType from = ElementwiseMath.elementOf(x);
        if (from == to) {
            return x;
        }
        if (from.isFloat() && !to.isFloat()) {
            // f16/bf16 widen exactly first, so the compare or saturating conversion sees an f32
            Value v = ElementwiseMath.isNarrowFloat(from) ? b.cast(x, ScalarType.F32) : x;
            // x != 0 is unordered "ne": NaN gives true, as in C and numpy
            return to == ScalarType.I1 ? b.cmp("ne", v, b.constant(v.type(), 0L)) : b.cast(v, to);
        }
        if (to == ScalarType.I1) {
            return b.cmp("ne", x, b.constant(x.type(), 0L));
        }
        if (from.isFloat() || !to.isFloat()) {
            return b.cast(x, to); // float to float, integer to integer: loop.cast is the reference
        }
        return b.cast(integerToFloatStep(b, x, from, to), to);
    }

    /**
     * The reference reads an integer as a double, then rounds to the target: exact up to 32 bits
     * (so converting directly rounds the same way), rounded for i64/u64 (so those go through f64
     * to round twice as it does). f16/bf16 go through an exact wider float first.
     */
    private static Value integerToFloatStep(LoopBuilder b, Value x, ScalarType from, ScalarType to) {
        int bits = from == ScalarType.I1 ? 1 : 8 * from.byteSize();
        if (to == ScalarType.F64 || (to == ScalarType.F32 && bits <= 32)) {
            return x;
        }
        return bits <= 16 ? b.cast(x, ScalarType.F32) : b.cast(x, ScalarType.F64);
    }
}
