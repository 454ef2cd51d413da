package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Copies (or combines) a block {@code src[srcPrefix..., t...] -> dst[dstPrefix..., t...]} over
 * the trailing dims {@code t} of both buffers: nested loops, the last dim in vectors. The
 * gathers and scatters move such blocks once their leading indices are known.
 */
final class BlockCopy {

    /** How a moved element (scalar or vector) combines with the destination's; null = overwrite. */
    @FunctionalInterface
    interface Combine {
        Value apply(LoopBuilder b, Value old, Value update);
    }

    private BlockCopy() {}

    static void copy(LoopBuilder b, Value src, List<Value> srcPrefix, Value dst, List<Value> dstPrefix, long[] tail,
            int lanes, Combine combine) {
        if (tail.length == 0) {
            move(b, src, srcPrefix, dst, dstPrefix, combine, 0);
            return;
        }
        long[] outer = Arrays.copyOf(tail, tail.length - 1);
        long inner = tail[tail.length - 1];
        b.forEachIndex(outer, (ob, ivs) -> {
            List<Value> s = concat(srcPrefix, ivs);
            List<Value> d = concat(dstPrefix, ivs);
            long vectorEnd = lanes > 1 ? inner / lanes * lanes : 0;
            if (vectorEnd > 0) {
                ob.forRange(0, vectorEnd, lanes, (vb, j) -> move(vb, src, concat(s, List.of(j)), dst,
                        concat(d, List.of(j)), combine, lanes));
            }
            if (vectorEnd < inner) {
                ob.forRange(vectorEnd, inner, 1, (sb, j) -> move(sb, src, concat(s, List.of(j)), dst,
                        concat(d, List.of(j)), combine, 0));
            }
        });
    }

    private static void move(LoopBuilder b, Value src, List<Value> si, Value dst, List<Value> di, Combine combine,
            int lanes) {
        Value v = lanes > 1 ? b.vload(src, si, lanes) : b.load(src, si);
        if (combine != null) {
            Value old = lanes > 1 ? b.vload(dst, di, lanes) : b.load(dst, di);
            v = combine.apply(b, old, v);
        }
        if (lanes > 1) {
            b.vstore(v, dst, di);
        } else {
            b.store(v, dst, di);
        }
    }

    static List<Value> concat(List<Value> a, List<Value> b) {
        List<Value> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
