package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading quantization parameters (scales, zero points) that are per tensor (one element, any
 * rank) or per axis (1-D, one per slice), and the shared requantization arithmetic.
 */
final class QuantParams {

    private QuantParams() {}

    static boolean perTensor(Value buffer) {
        return ((MemRefType) buffer.type()).numElements() == 1;
    }

    /**
     * The parameter for slice {@code idx} ({@code width} consecutive slices when {@code width > 1},
     * as a vector), converted to {@code to}; a per-tensor parameter ignores {@code idx}.
     */
    static Value load(LoopBuilder b, Value buffer, Value idx, int width, ScalarType to) {
        MemRefType t = (MemRefType) buffer.type();
        if (t.numElements() == 1) {
            List<Value> zeros = new ArrayList<>();
            for (int d = 0; d < t.rank(); d++) {
                zeros.add(b.index(0));
            }
            Value v = b.cast(b.load(buffer, zeros), to);
            return width == 1 ? v : b.broadcast(v, width);
        }
        return b.cast(width == 1 ? b.load(buffer, List.of(idx)) : b.vload(buffer, List.of(idx), width), to);
    }

    /** The parameter for slice {@code idx}, splatted to {@code width} lanes when {@code width > 1}. */
    static Value splat(LoopBuilder b, Value buffer, Value idx, int width, ScalarType to) {
        Value v = load(b, buffer, idx, 1, to);
        return width == 1 ? v : b.broadcast(v, width);
    }

    /**
     * {@code saturate(round_half_even(acc * multiplier) + zero)} into {@code out}: the i32
     * accumulator times the f32 multiplier in double (exact), as the reference computes it.
     */
    static Value requantize(LoopBuilder b, Value acc, Value multiplierF32, Value zeroI32, ScalarType out) {
        Value product = b.mul(b.cast(acc, ScalarType.F64), b.cast(multiplierF32, ScalarType.F64));
        Value rounded = b.add(b.unary("loop.round", product), b.cast(zeroI32, ScalarType.F64));
        return b.cast(rounded, out); // float -> int saturates, NaN -> 0
    }
}
