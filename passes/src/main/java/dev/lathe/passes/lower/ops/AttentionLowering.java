package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.dialect.nn.AttentionOp;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nn.attention}: one query row per parallel iteration. Pass 1 writes the row's scores
 * {@code scale·(q·k) + mask} into a workspace row and tracks their max (the dot product runs in
 * vectors along D with partial sums, or along Sk when k is transposed... scalar then); pass 2
 * replaces them by {@code exp(s - max)} and sums them; pass 3 accumulates {@code p·v} in vectors
 * along Dv and divides by the sum. A row whose scores are all {@code -inf} (fully masked) is
 * written as zeros, as the reference. With {@code heads = H} the same loops run over the
 * per-head view: the head is the last batch index and q/k/v/out are read and written in their
 * stored {@code [..., S, H*D]} layout (column {@code head*D + t}), so no transposed copies exist.
 */
final class AttentionLowering {

    private AttentionLowering() {}

    /**
     * One of q, k, v: its buffer and batch dims as seen per head. With {@code heads} the buffer is
     * {@code [..., S, H*D]}: the last batch index is the head {@code e}, and element {@code (row, col)}
     * of head {@code e} sits at {@code [..., row, e*width + col]}.
     */
    private record Operand(Value buffer, long[] batch, boolean heads, long width) {

        /** The buffer indices of element {@code (row, col)} of the matrix at result batch index {@code bi}. */
        List<Value> at(LoopBuilder b, List<Value> bi, Value row, Value col) {
            List<Value> idx = batchIndex(b, batch, bi);
            if (!heads) {
                idx.add(row);
                idx.add(col);
                return idx;
            }
            Value head = idx.remove(idx.size() - 1);
            idx.add(row);
            idx.add(b.add(b.mul(head, b.index(width)), col));
            return idx;
        }
    }

    static void lower(KernelContext cx) {
        boolean kt = ReductionAttrs.bool(cx.op(), "k_transposed", false);
        double scale = ((FloatAttr) cx.op().attr("scale")).value();
        long heads = AttentionOp.heads(cx.op().attributes());
        // Shapes as seen per head: with heads, [..., S, H*D] operands are [..., H, S, D].
        long[] outShape = perHead(cx.outputType(0).shapeArray(), heads);
        int nb = outShape.length - 2;
        long sq = outShape[nb];
        long dv = outShape[nb + 1];
        long[] qs = perHead(cx.inputType(0).shapeArray(), heads);
        long d = qs[qs.length - 1];
        long[] ks = perHead(cx.inputType(1).shapeArray(), heads);
        long sk = ks[ks.length - (kt ? 1 : 2)];
        long rows = cx.outputType(0).numElements() / Math.max(1, dv);
        if (rows == 0 || dv == 0) {
            return;
        }
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        Operand q = operand(cx.input(0), heads);
        Operand k = operand(cx.input(1), heads);
        Operand v = operand(cx.input(2), heads);
        Value mask = cx.numOperands() > 3 ? cx.input(3) : null;
        Operand out = operand(cx.output(0), heads);
        Value scores = cx.scratch(MemRefType.of(ct, rows, Math.max(1, sk)));
        int dLanes = lanes(cx, ct, kt ? 1 : d);
        int vLanes = lanes(cx, ct, dv);
        long[] rowShape = Arrays.copyOf(outShape, nb + 1);
        LoopBuilder b = cx.builder();
        b.parallel(0, rows, 1, ReductionSchedule.grain(cx, rows, sk * (d + dv + 20), ct), (pb, row) -> {
            List<Value> ri = pb.delinearize(row, rowShape);
            List<Value> bi = ri.subList(0, nb);
            Value i = ri.get(nb);
            Value max = pb.forRange(pb.index(0), pb.index(sk), pb.index(1), List.of(pb.constant(ct, Double.NEGATIVE_INFINITY)),
                    (jb, j, acc) -> {
                        Value dot = kt ? dotTransposed(jb, q, k, bi, i, j, d, ct) : dot(jb, q, k, bi, i, j, d, dLanes, ct);
                        Value s = jb.mul(dot, jb.constant(ct, scale));
                        if (mask != null) {
                            s = jb.add(s, jb.cast(jb.load(mask, maskIndex(jb, mask, bi, i, j, nb)), ct));
                        }
                        jb.store(s, scores, List.of(row, j));
                        return List.of(jb.max(acc.get(0), s));
                    }).get(0);
            Value masked = pb.cmp("eq", max, pb.constant(ct, Double.NEGATIVE_INFINITY));
            pb.ifThen(masked, zb -> zb.forRange(0, dv, 1, (cb, c) -> cb.store(
                    cb.constant(LoopBuilder.elementType(out.buffer()), 0.0), out.buffer(), out.at(cb, bi, i, c))));
            pb.ifThen(pb.unary("loop.not", masked), sb -> {
                Value sum = sb.forRange(sb.index(0), sb.index(sk), sb.index(1), List.of(sb.constant(ct, GroupKernel.sumStart(sk))),
                        (jb, j, acc) -> {
                            Value e = jb.unary("loop.exp", jb.sub(jb.load(scores, List.of(row, j)), max));
                            jb.store(e, scores, List.of(row, j));
                            return List.of(jb.add(acc.get(0), e));
                        }).get(0);
                weightedSum(sb, v, scores, row, bi, i, sk, dv, vLanes, ct, sum, out);
            });
        });
    }

    private static Operand operand(Value buffer, long heads) {
        long[] s = perHead(((MemRefType) buffer.type()).shapeArray(), heads);
        return new Operand(buffer, Arrays.copyOf(s, s.length - 2), heads > 0, s[s.length - 1]);
    }

    /** {@code [..., S, H*D]} as {@code [..., H, S, D]} (unchanged without heads). */
    private static long[] perHead(long[] s, long heads) {
        if (heads == 0) {
            return s;
        }
        long[] r = Arrays.copyOf(s, s.length + 1);
        r[s.length - 2] = heads;
        r[s.length - 1] = s[s.length - 2];
        r[s.length] = s[s.length - 1] / heads;
        return r;
    }

    private static int lanes(KernelContext cx, ScalarType ct, long extent) {
        int lanes = cx.vectorLanes(ct);
        while (lanes > 1 && lanes > extent) {
            lanes /= 2;
        }
        return lanes;
    }

    /** The operand's batch indices: its dims align right with the result's; size 1 reads 0. */
    private static List<Value> batchIndex(LoopBuilder b, long[] own, List<Value> bi) {
        List<Value> idx = new ArrayList<>();
        int offset = bi.size() - own.length;
        for (int e = 0; e < own.length; e++) {
            idx.add(own[e] == 1 ? b.index(0) : bi.get(e + offset));
        }
        return idx;
    }

    private static List<Value> append(List<Value> base, Value... more) {
        List<Value> idx = new ArrayList<>(base);
        idx.addAll(List.of(more));
        return idx;
    }

    /** {@code q[b, i, :] · k[b, j, :]}, vectors along D with partial sums, then the remainder. */
    private static Value dot(LoopBuilder b, Operand q, Operand k, List<Value> bi, Value i, Value j, long d, int lanes,
            ScalarType ct) {
        long vectorEnd = lanes > 1 ? d / lanes * lanes : 0;
        Value acc = b.constant(ct, GroupKernel.sumStart(d));
        if (vectorEnd > 0) {
            Type vt = VectorType.of(lanes, ct);
            Value partial = b.forRange(b.index(0), b.index(vectorEnd), b.index(lanes), List.of(b.constant(vt, -0.0)),
                    (tb, t, c) -> List.of(tb.fma(tb.cast(tb.vload(q.buffer(), q.at(tb, bi, i, t), lanes), ct),
                            tb.cast(tb.vload(k.buffer(), k.at(tb, bi, j, t), lanes), ct), c.get(0)))).get(0);
            acc = b.reduce("add", partial);
        }
        if (vectorEnd < d) {
            acc = b.forRange(b.index(vectorEnd), b.index(d), b.index(1), List.of(acc), (tb, t, c) -> List.of(tb.fma(
                    tb.cast(tb.load(q.buffer(), q.at(tb, bi, i, t)), ct), tb.cast(tb.load(k.buffer(), k.at(tb, bi, j, t)), ct),
                    c.get(0)))).get(0);
        }
        return acc;
    }

    /** {@code q[b, i, :] · k[b, :, j]} for k stored {@code [..., D, Sk]}. */
    private static Value dotTransposed(LoopBuilder b, Operand q, Operand k, List<Value> bi, Value i, Value j, long d,
            ScalarType ct) {
        return b.forRange(b.index(0), b.index(d), b.index(1), List.of(b.constant(ct, GroupKernel.sumStart(d))),
                (tb, t, c) -> List.of(tb.fma(tb.cast(tb.load(q.buffer(), q.at(tb, bi, i, t)), ct),
                        tb.cast(tb.load(k.buffer(), k.at(tb, bi, t, j)), ct), c.get(0)))).get(0);
    }

    /** The mask's own indices: padded on the left to rank 2 + batch, size-1 dims read 0. */
    private static List<Value> maskIndex(LoopBuilder b, Value mask, List<Value> bi, Value i, Value j, int nb) {
        long[] ms = ((MemRefType) mask.type()).shapeArray();
        List<Value> full = append(bi, i, j);
        List<Value> idx = new ArrayList<>();
        int offset = full.size() - ms.length;
        for (int e = 0; e < ms.length; e++) {
            idx.add(ms[e] == 1 ? b.index(0) : full.get(e + offset));
        }
        return idx;
    }

    /** {@code out[b, i, c] = sum_j p[j] v[b, j, c] / sum}, vectors along Dv. */
    private static void weightedSum(LoopBuilder b, Operand v, Value scores, Value row, List<Value> bi, Value i, long sk,
            long dv, int lanes, ScalarType ct, Value sum, Operand out) {
        ScalarType ot = LoopBuilder.elementType(out.buffer());
        long vectorEnd = lanes > 1 ? dv / lanes * lanes : 0;
        if (vectorEnd > 0) {
            Type vt = VectorType.of(lanes, ct);
            Value inv = b.broadcast(sum, lanes);
            b.forRange(0, vectorEnd, lanes, (cb, c) -> {
                Value acc = cb.forRange(cb.index(0), cb.index(sk), cb.index(1), List.of(cb.constant(vt, GroupKernel.sumStart(sk))),
                        (jb, j, a) -> List.of(jb.fma(jb.broadcast(jb.load(scores, List.of(row, j)), lanes),
                                jb.cast(jb.vload(v.buffer(), v.at(jb, bi, j, c), lanes), ct), a.get(0)))).get(0);
                cb.vstore(cb.cast(cb.div(acc, inv), ot), out.buffer(), out.at(cb, bi, i, c));
            });
        }
        if (vectorEnd < dv) {
            b.forRange(vectorEnd, dv, 1, (cb, c) -> {
                Value acc = cb.forRange(cb.index(0), cb.index(sk), cb.index(1), List.of(cb.constant(ct, GroupKernel.sumStart(sk))),
                        (jb, j, a) -> List.of(jb.fma(jb.load(scores, List.of(row, j)),
                                jb.cast(jb.load(v.buffer(), v.at(jb, bi, j, c)), ct), a.get(0)))).get(0);
                cb.store(cb.cast(cb.div(acc, sum), ot), out.buffer(), out.at(cb, bi, i, c));
            });
        }
    }
}
