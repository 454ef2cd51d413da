package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;

/**
 * {@code nn.conv_integer} (operands {@code x, w, x_zero, w_zero}) and {@code nn.qlinear_conv}
 * (operands {@code x, x_scale, x_zero, w, w_scale, w_zero, y_scale, y_zero[, bias]}): the direct
 * convolution of {@link ConvEmitter} in i32 over zero-point-shifted u8/i8 values (padding taps are
 * skipped, which equals padding with the zero point), then for qlinear the i32 bias and
 * requantization by the f32 multiplier {@code x_scale * w_scale[m] / y_scale}. The weight zero
 * point and scale are per tensor or per filter.
 */
final class QuantizedConvLowerings {

    private QuantizedConvLowerings() {}

    static final OpLowering CONV_INTEGER = cx -> emit(cx, cx.input(0), cx.input(2), cx.input(1), cx.input(3),
            (b, sum, m, w) -> sum);

    static final OpLowering QLINEAR_CONV = cx -> {
        Value bias = cx.hasOperand(8) ? cx.input(8) : null;
        ScalarType out = LoopBuilder.elementType(cx.output(0));
        emit(cx, cx.input(0), cx.input(2), cx.input(3), cx.input(5), (b, sum, m, w) -> {
            Value acc = bias == null ? sum : b.add(sum, QuantParams.splat(b, bias, m, w, ScalarType.I32));
            Value xs = QuantParams.splat(b, cx.input(1), m, w, ScalarType.F32);
            Value ws = QuantParams.splat(b, cx.input(4), m, w, ScalarType.F32);
            Value ys = QuantParams.splat(b, cx.input(6), m, w, ScalarType.F32);
            Value zero = QuantParams.splat(b, cx.input(7), m, w, ScalarType.I32);
            return QuantParams.requantize(b, acc, b.div(b.mul(xs, ws), ys), zero, out);
        });
    };

    /** The finished i32 sums of filter {@code m} ({@code width} along the output width) as stored. */
    @FunctionalInterface
    private interface Epilogue {
        Value apply(LoopBuilder b, Value sum, Value m, int width);
    }

    private static void emit(KernelContext cx, Value x, Value xZero, Value w, Value wZero, Epilogue epilogue) {
        Value y = cx.output(0);
        MemRefType xt = (MemRefType) x.type();
        MemRefType wt = (MemRefType) w.type();
        MemRefType yt = (MemRefType) y.type();
        int group = (int) Window.integer(cx.op(), "group", 1);
        Window win = ConvLowering.spatialWindow(cx, xt, wt, yt);
        ScalarType acc = ScalarType.I32;
        ConvEmitter.LoadX loadX = (b, idx, width) -> b.sub(b.cast(width == 1 ? b.load(x, idx) : b.vload(x, idx, width), acc),
                QuantParams.splat(b, xZero, b.index(0), width, acc));
        ConvEmitter.LoadW loadW = (b, idx) -> b.sub(b.cast(b.load(w, idx), acc),
                QuantParams.load(b, wZero, idx.get(0), 1, acc));
        ConvEmitter.Store store = (b, sum, idx, width) -> {
            Value v = epilogue.apply(b, sum, idx.get(1), width);
            if (width == 1) {
                b.store(v, y, idx);
            } else {
                b.vstore(v, y, idx);
            }
        };
        ConvLowering.emit(cx, win, xt, wt, yt, group, acc, loadX, loadW, store);
    }

}
