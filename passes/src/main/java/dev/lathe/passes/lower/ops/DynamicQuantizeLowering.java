package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nn.dynamic_quantize_linear}: one pass for the range {@code [min(0, min x), max(0, max x)]}
 * (NaN propagates), then {@code scale = (hi - lo) / 255} and {@code zero = saturate(round(-lo / scale))}
 * in f32, then {@code y = saturate(round(x / scale) + zero)} in parallel. Scale 0 (an all-zero
 * input) gives zero point 0 and {@code y = 0}, as the reference does.
 */
final class DynamicQuantizeLowering implements OpLowering {

    @Override
    public void lower(KernelContext cx) {
        Value x = cx.input(0);
        MemRefType t = (MemRefType) x.type();
        ScalarType f = ScalarType.F32;
        LoopBuilder b = cx.builder();
        List<Value> range = nest(b, t.shapeArray(), 0, new ArrayList<>(), List.of(b.constant(f, 0.0), b.constant(f, 0.0)),
                (lb, idx, cur) -> {
                    Value v = lb.cast(lb.load(x, idx), f);
                    return List.of(lb.min(cur.get(0), v), lb.max(cur.get(1), v));
                });
        Value lo = range.get(0);
        Value scale = b.div(b.sub(range.get(1), lo), b.constant(f, 255.0));
        Value isZero = b.cmp("eq", scale, b.constant(f, 0.0));
        Value zeroF = b.unary("loop.round", b.sub(b.constant(f, 0.0), b.div(lo, scale)));
        Value zero = b.select(isZero, b.constant((dev.lathe.ir.type.Type) ScalarType.U8, 0L), b.cast(zeroF, ScalarType.U8));
        b.store(scale, cx.output(1), List.of());
        b.store(zero, cx.output(2), List.of());
        Value zeroAsF = b.cast(zero, f);
        PerAxisKernel.emit(cx, x, List.of(), cx.output(0), 0, cx.vectorLanes(f), (eb, v, p) -> {
            boolean vector = v.type() instanceof dev.lathe.ir.type.VectorType;
            int lanes = vector ? ((dev.lathe.ir.type.VectorType) v.type()).length() : 1;
            Value s = vector ? eb.broadcast(scale, lanes) : scale;
            Value z = vector ? eb.broadcast(zeroAsF, lanes) : zeroAsF;
            Value q = eb.add(eb.unary("loop.round", eb.div(eb.cast(v, f), s)), z);
            Value y = eb.cast(q, ScalarType.U8);
            Value isZ = vector ? eb.broadcast(isZero, lanes) : isZero;
            return eb.select(isZ, eb.constant(y.type(), 0L), y);
        });
    }

    @FunctionalInterface
    interface CarriedBody {
        List<Value> build(LoopBuilder b, List<Value> indices, List<Value> carried);
    }

    /** A sequential row-major loop nest over {@code shape} carrying values. */
    static List<Value> nest(LoopBuilder b, long[] shape, int d, List<Value> idx, List<Value> carried, CarriedBody body) {
        if (d == shape.length) {
            return body.build(b, idx, carried);
        }
        return b.forRange(b.index(0), b.index(shape[d]), b.index(1), carried, (lb, iv, cur) -> {
            List<Value> next = new ArrayList<>(idx);
            next.add(iv);
            return nest(lb, shape, d + 1, next, cur, body);
        });
    }
}
