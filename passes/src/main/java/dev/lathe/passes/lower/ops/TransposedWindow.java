package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a transposed convolution seen from its output: input {@code i} and tap
 * {@code k} reach output {@code o} when {@code o + pad = i * stride + k * dilation}. Emits the
 * loops over the taps reaching one output position, dim by dim, carrying accumulators. With
 * dilation 1 a dim's taps are the progression {@code k = (o + pad) mod stride, + stride, ...}
 * clipped to the input, so nothing is tested and skipped; other dilations test each tap.
 */
record TransposedWindow(long[] in, long[] kernel, long[] strides, long[] dilations, long[] pads) {

    /** The innermost body: input and kernel positions of one tap, the accumulators in and out. */
    @FunctionalInterface
    interface Body {
        List<Value> build(LoopBuilder b, List<Value> inputPos, List<Value> kernelPos, List<Value> accs);
    }

    /** Loops over the taps reaching output position {@code o} (one index per spatial dim). */
    List<Value> taps(LoopBuilder b, List<Value> o, List<Value> accs, Body body) {
        return taps(b, o, 0, List.of(), List.of(), accs, body);
    }

    private List<Value> taps(LoopBuilder b, List<Value> o, int d, List<Value> is, List<Value> ks, List<Value> accs,
            Body body) {
        if (d == in.length) {
            return body.build(b, is, ks, accs);
        }
        long s = strides[d];
        Value t = b.add(o.get(d), b.index(pads[d])); // = i * stride + k * dilation
        if (dilations[d] == 1 && pads[d] >= 0) {
            // k = t - i*s for i in [0, in): k ≡ t (mod s), t - (in-1)*s <= k <= t, 0 <= k < K
            Value lo = b.max(b.rem(t, b.index(s)), b.sub(t, b.index((in[d] - 1) * s)));
            Value hi = b.min(b.index(kernel[d]), b.add(t, b.index(1)));
            return b.forRange(lo, hi, b.index(s), accs, (kb, k, cur) -> {
                Value i = kb.div(kb.sub(t, k), kb.index(s));
                return taps(kb, o, d + 1, append(is, i), append(ks, k), cur, body);
            });
        }
        return b.forRange(b.index(0), b.index(kernel[d]), b.index(1), accs, (kb, k, cur) -> {
            Value r = kb.sub(t, kb.mul(k, kb.index(dilations[d])));
            Value ok = kb.binary("loop.and", kb.cmp("ge", r, kb.index(0)), kb.cmp("lt", r, kb.index(in[d] * s)));
            if (s > 1) {
                Value safe = kb.max(r, kb.index(0));
                ok = kb.binary("loop.and", ok, kb.cmp("eq", kb.rem(safe, kb.index(s)), kb.index(0)));
            }
            List<Type> types = cur.stream().map(Value::type).toList();
            return kb.ifElse(ok, types, ib -> {
                Value i = ib.div(r, ib.index(s));
                return taps(ib, o, d + 1, append(is, i), append(ks, k), cur, body);
            }, eb -> cur);
        });
    }

    private static List<Value> append(List<Value> list, Value v) {
        List<Value> out = new ArrayList<>(list);
        out.add(v);
        return out;
    }
}
