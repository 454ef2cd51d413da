package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.List;

/**
 * {@code nn.quantize_linear} and {@code nn.dequantize_linear} through {@link PerAxisKernel}.
 *
 * <p>Quantize: the quotient {@code x / scale} rounded to x's type (f32 for integer x), rounded
 * half to even, plus the zero point, saturated by the float-to-integer cast (NaN gives 0). In
 * f32 when x and scale are at most f32 and the zero point at most 16 bits (then f32 division
 * rounds exactly as the reference's double quotient rounded to x's type, and every integer
 * involved is exact), else in f64. Dequantize: {@code (x - zero) * scale}, the difference exact,
 * the product rounded once: in f32 for 8/16-bit x and an f32 or narrower scale, else in f64.
 */
final class QuantizeLowerings {

    private QuantizeLowerings() {}

    static final OpLowering QUANTIZE = cx -> {
        Value x = cx.input(0);
        ScalarType xt = LoopBuilder.elementType(x);
        ScalarType st = LoopBuilder.elementType(cx.input(1));
        ScalarType out = LoopBuilder.elementType(cx.output(0));
        boolean narrow = narrowFloat(xt) && narrowFloat(st) && out.byteSize() <= 2;
        ScalarType calc = narrow ? ScalarType.F32 : ScalarType.F64;
        ScalarType quotientType = xt.isFloat() ? xt : ScalarType.F32;
        PerAxisKernel.emit(cx, x, List.of(cx.input(1), cx.input(2)), cx.output(0), axis(cx), cx.vectorLanes(calc),
                (b, v, p) -> {
                    Value q = b.div(b.cast(v, calc), b.cast(p.get(0), calc));
                    q = b.cast(b.cast(q, quotientType), calc);
                    Value r = b.add(b.unary("loop.round", q), b.cast(p.get(1), calc));
                    return b.cast(r, out);
                });
    };

    static final OpLowering DEQUANTIZE = cx -> {
        Value x = cx.input(0);
        ScalarType xt = LoopBuilder.elementType(x);
        ScalarType st = LoopBuilder.elementType(cx.input(1));
        boolean narrow = xt.byteSize() <= 2 && narrowFloat(st);
        ScalarType calc = narrow ? ScalarType.F32 : ScalarType.F64;
        ScalarType diff = narrow ? ScalarType.I32 : ScalarType.I64;
        PerAxisKernel.emit(cx, x, List.of(cx.input(1), cx.input(2)), cx.output(0), axis(cx), cx.vectorLanes(calc),
                (b, v, p) -> {
                    Value d = b.sub(b.cast(v, diff), b.cast(p.get(1), diff));
                    return b.cast(b.mul(b.cast(d, calc), b.cast(p.get(0), calc)), st);
                });
    };

    private static boolean narrowFloat(ScalarType t) {
        return t == ScalarType.F32 || t == ScalarType.F16 || t == ScalarType.BF16;
    }

    /** The normalized {@code axis} attribute (default 1); per-tensor parameters ignore it. */
    private static int axis(KernelContext cx) {
        int rank = ((MemRefType) cx.input(0).type()).rank();
        long a = Window.integer(cx.op(), "axis", 1);
        return (int) (a < 0 ? a + rank : a);
    }
}
