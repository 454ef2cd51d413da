package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.ConvTransposeOp;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nn.conv_transpose}: grouped N-D transposed convolution with optional bias, computed in
 * gather form so every output element is written by one thread:
 * {@code y[n, m, o] = sum_{c, k : o + pad = i * stride + k * dilation, 0 <= i < in} x[n, c, i] * w[c, m', k]}.
 *
 * <p>Schedule: threads split {@code N x M x} the output rows (all spatial dims but the last);
 * each output position loops over the kernel taps that reach it, dim by dim, then over the
 * group's input channels (check-free, innermost). With dilation 1 a dim's taps are the
 * arithmetic progression {@code k = (o + pad) mod stride, + stride, ...} clipped to the input,
 * so no tap is tested and skipped; other dilations test each tap. Floats accumulate in f32 (the
 * interpreter sums in f64; the products of one output are few, as for {@code nn.conv}), 16-bit
 * floats in f32 too; integers wrap in their own type. The bias is added after the sum, as the
 * reference does.
 */
final class ConvTransposeLowering implements OpLowering {

    @Override
    public void lower(KernelContext cx) {
        Value x = cx.input(0);
        Value w = cx.input(1);
        Value bias = cx.hasOperand(2) ? cx.input(2) : null;
        Value y = cx.output(0);
        MemRefType xt = (MemRefType) x.type();
        MemRefType wt = (MemRefType) w.type();
        MemRefType yt = (MemRefType) y.type();
        long total = yt.numElements();
        if (total == 0) {
            return;
        }
        int s = xt.rank() - 2;
        long[] in = ConvLowering.spatial(xt);
        long[] kernel = ConvLowering.spatial(wt);
        long[] out = ConvLowering.spatial(yt);
        long[] strides = Window.longs(cx.op(), "strides", s, 1);
        long[] dilations = Window.longs(cx.op(), "dilations", s, 1);
        long[] pads = ConvTransposeOp.padsBegin(cx.inputType(0), cx.inputType(1), cx.op().attributes());
        long group = Window.integer(cx.op(), "group", 1);
        long cg = xt.dim(1) / group;
        long mg = wt.dim(1);
        ScalarType et = yt.elementType();
        ScalarType acc = GemmEmitter.accumulatorFor(et);
        Geometry g = new Geometry(in, kernel, out, strides, dilations, pads);
        long[] rowsShape = new long[s + 1];
        rowsShape[0] = yt.dim(0);
        rowsShape[1] = yt.dim(1);
        System.arraycopy(out, 0, rowsShape, 2, s - 1);
        long rows = total / out[s - 1];
        long macs = total * cg * Window.product(kernel) / Math.max(1, Window.product(strides));
        long grain = WorkSplit.grain(rows, WorkSplit.tasks(cx, rows, 2 * macs));
        LoopBuilder b = cx.builder();
        b.parallel(0, rows, 1, grain, (pb, flat) -> {
            List<Value> pos = pb.delinearize(flat, rowsShape);
            Value n = pos.get(0);
            Value m = pos.get(1);
            Value grp = pb.div(m, pb.index(mg));
            Value mInGroup = pb.rem(m, pb.index(mg));
            Value cBase = pb.mul(grp, pb.index(cg));
            pb.forRange(0, out[s - 1], 1, (ob, last) -> {
                List<Value> o = new ArrayList<>(pos.subList(2, pos.size()));
                o.add(last);
                Value zero = ob.constant(acc, 0.0);
                Value sum = g.taps(ob, o, 0, new ArrayList<>(), new ArrayList<>(), zero, (tb, is, ks, cur) ->
                        tb.forRange(tb.index(0), tb.index(cg), tb.index(1), List.of(cur), (cb, c, carried) -> {
                            Value ch = cb.add(cBase, c);
                            List<Value> xi = new ArrayList<>(List.of(n, ch));
                            xi.addAll(is);
                            List<Value> wi = new ArrayList<>(List.of(ch, mInGroup));
                            wi.addAll(ks);
                            Value xv = cb.cast(cb.load(x, xi), acc);
                            Value wv = cb.cast(cb.load(w, wi), acc);
                            Value a = carried.get(0);
                            return List.of(acc.isFloat() ? cb.fma(xv, wv, a) : cb.add(cb.mul(xv, wv), a));
                        }).get(0));
                if (bias != null) {
                    sum = ob.add(sum, ob.cast(ob.load(bias, List.of(m)), acc));
                }
                List<Value> yi = new ArrayList<>(List.of(n, m));
                yi.addAll(o);
                ob.store(ob.cast(sum, et), y, yi);
            });
        });
    }

    @FunctionalInterface
    private interface Body {
        Value build(LoopBuilder b, List<Value> inputPos, List<Value> kernelPos, Value acc);
    }

    /** The spatial geometry, and the loops over the taps reaching one output position. */
    private record Geometry(long[] in, long[] kernel, long[] out, long[] strides, long[] dilations, long[] pads) {

        /** Loops over the taps of spatial dim {@code d} reaching output {@code o}, then the next dims. */
        Value taps(LoopBuilder b, List<Value> o, int d, List<Value> is, List<Value> ks, Value acc, Body body) {
            if (d == in.length) {
                return body.build(b, is, ks, acc);
            }
            long s = strides[d];
            Value t = b.add(o.get(d), b.index(pads[d])); // = i * stride + k * dilation
            if (dilations[d] == 1 && pads[d] >= 0) {
                // k = t - i*s for i in [0, in): k ≡ t (mod s), t - (in-1)*s <= k <= t, 0 <= k < K
                Value lo = b.max(b.rem(t, b.index(s)), b.sub(t, b.index((in[d] - 1) * s)));
                Value hi = b.min(b.index(kernel[d]), b.add(t, b.index(1)));
                return b.forRange(lo, hi, b.index(s), List.of(acc), (kb, k, cur) -> {
                    Value i = kb.div(kb.sub(t, k), kb.index(s));
                    return List.of(taps(kb, o, d + 1, append(is, i), append(ks, k), cur.get(0), body));
                }).get(0);
            }
            return b.forRange(b.index(0), b.index(kernel[d]), b.index(1), List.of(acc), (kb, k, cur) -> {
                Value r = kb.sub(t, kb.mul(k, kb.index(dilations[d])));
                Value ok = kb.binary("loop.and", kb.cmp("ge", r, kb.index(0)), kb.cmp("lt", r, kb.index(in[d] * s)));
                if (s > 1) {
                    Value safe = kb.max(r, kb.index(0));
                    ok = kb.binary("loop.and", ok, kb.cmp("eq", kb.rem(safe, kb.index(s)), kb.index(0)));
                }
                Value a = cur.get(0);
                List<Type> types = List.of(a.type());
                return kb.ifElse(ok, types, ib -> {
                    Value i = ib.div(r, ib.index(s));
                    return List.of(taps(ib, o, d + 1, append(is, i), append(ks, k), a, body));
                }, eb -> List.of(a));
            }).get(0);
        }

        private static List<Value> append(List<Value> list, Value v) {
            List<Value> out = new ArrayList<>(list);
            out.add(v);
            return out;
        }
    }
}
