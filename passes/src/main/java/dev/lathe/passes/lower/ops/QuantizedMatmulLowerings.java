package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;

/**
 * {@code nn.matmul_integer} (operands {@code a, b, a_zero, b_zero}) and {@code nn.qlinear_matmul}
 * (operands {@code a, a_scale, a_zero, b, b_scale, b_zero, y_scale, y_zero}): the i32 product of
 * zero-point-shifted u8/i8 matrices through {@link MatmulLowering#emit}, then (qlinear) the f32
 * multiplier {@code a_scale * b_scale / y_scale} and requantization in the store. A zero point
 * or scale of A is per row (per k for a 1-D A), of B per column (per k for a 1-D B).
 */
final class QuantizedMatmulLowerings {

    private QuantizedMatmulLowerings() {}

    static final OpLowering MATMUL_INTEGER = cx -> MatmulLowering.emit(cx, cx.input(0), cx.input(1), cx.output(0),
            ScalarType.I32, aZero(cx.input(0), cx.input(2)), bZero(cx.input(1), cx.input(3)),
            (b, sum, i, j, w) -> sum);

    static final OpLowering QLINEAR_MATMUL = cx -> {
        Value a = cx.input(0);
        Value bm = cx.input(3);
        Value aScale = cx.input(1);
        Value bScale = cx.input(4);
        Value yScale = cx.input(6);
        Value yZero = cx.input(7);
        ScalarType out = LoopBuilder.elementType(cx.output(0));
        boolean aVector = ((MemRefType) a.type()).rank() == 1;
        boolean bVector = ((MemRefType) bm.type()).rank() == 1;
        if ((aVector || bVector) && !(QuantParams.perTensor(aScale) && QuantParams.perTensor(bScale))) {
            throw cx.unsupported("per-row or per-column scales with a 1-D operand");
        }
        MatmulLowering.emit(cx, a, bm, cx.output(0), ScalarType.I32, aZero(a, cx.input(2)), bZero(bm, cx.input(5)),
                (b, sum, i, j, w) -> {
                    Value sa = QuantParams.splat(b, aScale, i, w, ScalarType.F32);
                    Value sb = QuantParams.load(b, bScale, j, w, ScalarType.F32);
                    Value ys = QuantParams.load(b, yScale, b.index(0), w, ScalarType.F32);
                    Value multiplier = b.div(b.mul(sa, sb), ys);
                    Value zero = QuantParams.load(b, yZero, b.index(0), w, ScalarType.I32);
                    return QuantParams.requantize(b, sum, multiplier, zero, out);
                });
    };

    /** A's zero point: per row i, or per k when A is 1-D (its only axis). */
    private static MatmulLowering.ZeroPoint aZero(Value a, Value zero) {
        boolean vector = ((MemRefType) a.type()).rank() == 1;
        return (b, i, k, w) -> QuantParams.load(b, zero, vector ? k : i, 1, ScalarType.I32);
    }

    /** B's zero point: per column j, or per k when B is 1-D. */
    private static MatmulLowering.ZeroPoint bZero(Value bm, Value zero) {
        boolean vector = ((MemRefType) bm.type()).rank() == 1;
        return (b, k, j, w) -> QuantParams.load(b, zero, vector ? k : j, w, ScalarType.I32);
    }
}
