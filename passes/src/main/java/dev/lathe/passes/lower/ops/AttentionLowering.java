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
 * {@code nn.attention}: a block of 8, 4, 2 or 1 query rows (of one batch and head) per parallel
 * iteration. In groups of {@link AttentionScores#TILE_ROWS} rows, pass 1 writes the rows' scores
 * {@code scale·(q·k) + mask} into the block's scores buffer in register tiles (rows × vectors
 * along Sk, q[i, t] broadcast times a row of kᵀ) and tracks each row's max; after the block's groups, pass 2
 * replaces the scores by {@code exp(s - max)} (0 where that is subnormal) and sums them, all rows
 * of the block in one loop (see {@link AttentionScores}); then pass 3 accumulates {@code p·v} for
 * the whole block in vectors along Dv (see {@link #weightedSum}) and multiplies by each row's
 * {@code 1/sum}.
 * A row whose scores are all {@code -inf} (fully masked) is written as zeros, as the reference.
 * With {@code heads = H} the same loops run over the per-head view: the head is the last batch
 * index and q/k/v/out are read and written in their stored {@code [..., S, H*D]} layout (column
 * {@code head*D + t}); only kᵀ is copied per head (when k is not stored transposed).
 */
final class AttentionLowering {

    private AttentionLowering() {}

    /**
     * One of q, k, v: its buffer and batch dims as seen per head. With {@code heads} the buffer is
     * {@code [..., S, H*D]}: the last batch index is the head {@code e}, and element {@code (row, col)}
     * of head {@code e} sits at {@code [..., row, e*width + col]}.
     */
    record Operand(Value buffer, long[] batch, boolean heads, long width) {

        /** The buffer indices of element {@code (row, col)} of the matrix at result batch index {@code bi}. */
        List<Value> at(LoopBuilder b, List<Value> bi, Value row, Value col) {
            List<Value> idx = b.broadcastIndex(batch, bi);
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
        int jLanes = lanes(cx, ct, sk);
        int vLanes = lanes(cx, ct, dv);
        long[] rowShape = Arrays.copyOf(outShape, nb + 1);
        long[] batchShape = Arrays.copyOf(outShape, nb);
        long batches = Math.max(1, rows / Math.max(1, sq));
        LoopBuilder b = cx.builder();
        // Scores are computed vectors along Sk (q[i, t] broadcast times a row of kᵀ), so k is read
        // as kᵀ: as stored when k_transposed, else from a per-batch transposed copy made first, one
        // row of kᵀ (one t) per iteration so its stores are contiguous (the strided loads are cheap).
        Value kT = kt ? null : cx.scratch(MemRefType.of(ct, batches, Math.max(1, d), Math.max(1, sk)));
        if (!kt && d > 0 && sk > 0) {
            b.parallel(0, batches * d, 1, ReductionSchedule.grain(cx, batches * d, sk, ct), (pb, r) -> {
                List<Value> bt = pb.delinearize(r, new long[] {batches, d});
                List<Value> bi = pb.delinearize(bt.get(0), batchShape);
                pb.forRange(0, sk, 1, (jb, j) -> jb.store(jb.cast(jb.load(k.buffer(), k.at(jb, bi, j, bt.get(1))), ct), kT,
                        List.of(bt.get(0), bt.get(1), j)));
            });
        }
        // Query rows in blocks of rb (rb divides Sq, so a block stays in one batch and head): the
        // block's p·v shares every load of v among its rows.
        int rb = sq % ROW_BLOCK == 0 ? ROW_BLOCK : sq % 4 == 0 ? 4 : sq % 2 == 0 ? 2 : 1;
        long blocks = rows / rb;
        // The block's scores live in a stack buffer when small: the same L1-resident bytes for every
        // block, and no workspace of all rows × Sk (768 KiB at MiniLM's seq 128).
        boolean local = (long) rb * sk * ct.byteSize() <= LOCAL_SCORES_BYTES;
        Value shared = local ? null : cx.scratch(MemRefType.of(ct, rows, Math.max(1, sk)));
        b.parallel(0, blocks, 1, ReductionSchedule.grain(cx, blocks, rb * sk * (d + dv + 20), ct), (pb, blk) -> {
            Value row0 = rb == 1 ? blk : pb.mul(blk, pb.index(rb));
            List<Value> ri = pb.delinearize(row0, rowShape);
            List<Value> bi = ri.subList(0, nb);
            Value i0 = ri.get(nb);
            Value bIdx = nb == 0 ? pb.index(0) : pb.delinearize(row0, new long[] {batches, sq}).get(0);
            AttentionScores.KRow kRow = (lb, t, j, w) -> {
                List<Value> idx = kt ? k.at(lb, bi, t, j) : List.of(bIdx, t, j);
                Value buf = kt ? k.buffer() : kT;
                return lb.cast(w == 1 ? lb.load(buf, idx) : lb.vload(buf, idx, w), ct);
            };
            Value scores = local ? pb.alloca(MemRefType.of(ct, rb, Math.max(1, sk))) : shared;
            var in = new AttentionScores.Inputs(q, kRow, mask, scores, bi, sk, d, jLanes, ct, scale);
            List<Value> blockRows = new ArrayList<>(rb);
            List<Value> is = new ArrayList<>(rb);
            List<Value> inverses = new ArrayList<>(rb);
            List<Value> maxes = new ArrayList<>(rb);
            List<AttentionScores.Row> all = new ArrayList<>(rb);
            List<Value> rawMax = new ArrayList<>(rb);
            for (int g = 0; g < rb; g += AttentionScores.TILE_ROWS) {
                List<AttentionScores.Row> group = new ArrayList<>();
                for (int r = g; r < Math.min(rb, g + AttentionScores.TILE_ROWS); r++) {
                    Value row = local ? pb.index(r) : r == 0 ? row0 : pb.add(row0, pb.index(r));
                    Value i = r == 0 ? i0 : pb.add(i0, pb.index(r));
                    group.add(new AttentionScores.Row(row, i));
                    blockRows.add(row);
                    is.add(i);
                }
                all.addAll(group);
                rawMax.addAll(AttentionScores.scores(pb, in, group));
            }
            // A fully masked row (max -inf) gets p = exp(-inf - inf) = 0 and sum 1, and its
            // outputs are replaced by zeros at the store, as the reference.
            List<Value> masked = new ArrayList<>();
            List<Value> shifts = new ArrayList<>();
            for (Value max : rawMax) {
                Value m = pb.cmp("eq", max, pb.constant(ct, Double.NEGATIVE_INFINITY));
                masked.add(m);
                shifts.add(pb.select(m, pb.constant(ct, Double.POSITIVE_INFINITY), max));
            }
            // One exp loop for the whole block, after all its score groups: its rows' independent
            // exp chains overlap (with groups of 4 the out-of-order window held under 3 iterations
            // of the ~20-deep chains; the block of 8 is ~3% of the kernel faster despite a few
            // spilled constants).
            List<Value> rowSums = AttentionScores.exp(pb, scores, all, shifts, sk, jLanes, ct);
            for (int r = 0; r < rb; r++) {
                Value sum = rowSums.get(r);
                // One division per row; the store multiplies by it (a vector division has the
                // throughput of several FMAs; the product is within an ulp of the quotient).
                inverses.add(pb.div(pb.constant(ct, 1.0), pb.select(masked.get(r), pb.constant(ct, 1.0), sum)));
                // The max skips NaN scores, so a row of NaN and -inf looks masked; its sum is
                // NaN, and a NaN max keeps its (NaN) outputs from being zeroed, as the reference.
                maxes.add(pb.select(pb.isNan(sum), pb.constant(ct, Double.NaN), rawMax.get(r)));
            }
            weightedSum(pb, v, scores, blockRows, bi, is, sk, dv, vLanes, ct, inverses, maxes, out);
        });
    }

    /** Query rows per block (when Sq is a multiple): the p·v stage's accumulators are rows × column vectors. */
    private static final int ROW_BLOCK = 8;
    /** The most bytes of a block's scores kept in a stack buffer (below the 64 KiB alloca limit). */
    private static final long LOCAL_SCORES_BYTES = 32 * 1024;

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

    /** Column vectors of p·v carried together: they share each load of p[j]. */
    private static final int COLUMN_VECTORS = 4;
    /** Independent accumulator chains wanted in p·v (FMA latency times the FMA ports). */
    private static final int CHAINS = 8;
    /** At most this many accumulators of p·v at a time (rows × column vectors; the rest of 32 registers hold v and p). */
    private static final int MAX_ACCUMULATORS = 16;

    /**
     * {@code out[b, i, c] = sum_j p[j] v[b, j, c] / sum} for a block of rows, vectors along Dv:
     * up to {@link #COLUMN_VECTORS} column vectors of every row of the block at a time, so each
     * load of {@code v[j]} serves all rows and each broadcast {@code p[j]} all column vectors; when
     * that gives fewer than {@link #CHAINS} accumulators, j is also dealt round-robin over {@code u}
     * partial sums, added in a fixed order at the end (the result does not depend on the thread
     * count). Leftover columns are scalars. The store multiplies by the row's {@code 1/sum}
     * ({@code inverses}, one division per row made by the caller).
     */
    private static void weightedSum(LoopBuilder b, Operand v, Value scores, List<Value> rows, List<Value> bi,
            List<Value> is, long sk, long dv, int lanes, ScalarType ct, List<Value> inverses, List<Value> maxes,
            Operand out) {
        long vectorEnd = lanes > 1 ? dv / lanes * lanes : 0;
        long groupWidth = (long) COLUMN_VECTORS * lanes;
        long groupEnd = vectorEnd / groupWidth * groupWidth;
        if (groupEnd > 0) {
            b.forRange(0, groupEnd, groupWidth, (cb, c) -> columnGroup(cb, v, scores, rows, bi, is, sk, c, COLUMN_VECTORS,
                    lanes, ct, inverses, maxes, out));
        }
        if (groupEnd < vectorEnd) {
            columnGroup(b, v, scores, rows, bi, is, sk, b.index(groupEnd), (int) ((vectorEnd - groupEnd) / lanes), lanes,
                    ct, inverses, maxes, out);
        }
        if (vectorEnd < dv) {
            b.forRange(vectorEnd, dv, 1, (cb, c) -> columnGroup(cb, v, scores, rows, bi, is, sk, c, 1, 1, ct, inverses, maxes,
                    out));
        }
    }

    /**
     * {@code count} column vectors of {@code lanes} (scalars when 1) of p·v from column c for every
     * row of the block, divided by the row's sum (zeros for a fully masked row) and stored.
     */
    private static void columnGroup(LoopBuilder b, Operand v, Value scores, List<Value> rows, List<Value> bi,
            List<Value> is, long sk, Value c, int count, int lanes, ScalarType ct, List<Value> inverses, List<Value> maxes,
            Operand out) {
        int chunk = Math.max(1, MAX_ACCUMULATORS / count);
        for (int r0 = 0; r0 < rows.size(); r0 += chunk) {
            int r1 = Math.min(rows.size(), r0 + chunk);
            columnChunk(b, v, scores, rows.subList(r0, r1), bi, is.subList(r0, r1), sk, c, count, lanes, ct,
                    inverses.subList(r0, r1), maxes.subList(r0, r1), out);
        }
    }

    /** {@link #columnGroup} for rows that fit {@link #MAX_ACCUMULATORS} together. */
    private static void columnChunk(LoopBuilder b, Operand v, Value scores, List<Value> rows, List<Value> bi,
            List<Value> is, long sk, Value c, int count, int lanes, ScalarType ct, List<Value> inverses, List<Value> maxes,
            Operand out) {
        ScalarType ot = LoopBuilder.elementType(out.buffer());
        Type vt = lanes > 1 ? VectorType.of(lanes, ct) : ct;
        int rb = rows.size();
        int per = rb * count; // accumulators of one partial sum
        int u = (int) Math.max(1, Math.min(sk, CHAINS / per));
        long jEnd = sk / u * u;
        List<Value> cols = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            cols.add(b.add(c, b.index((long) k * lanes)));
        }
        List<Value> inits = new ArrayList<>();
        for (int k = 0; k < u * per; k++) {
            inits.add(b.constant(vt, GroupKernel.sumStart(sk)));
        }
        // acc[p * per + r * count + k]: partial sum p (j = p mod u) of row r, column vector k.
        List<Value> acc = b.forRange(b.index(0), b.index(jEnd), b.index(u), inits, (jb, j, a) -> {
            List<Value> next = new ArrayList<>(a);
            for (int p = 0; p < u; p++) {
                Value jp = p == 0 ? j : jb.add(j, jb.index(p));
                accumulate(jb, v, scores, rows, bi, jp, cols, lanes, ct, a, next, p * per);
            }
            return next;
        });
        if (jEnd < sk) {
            List<Value> first = b.forRange(b.index(jEnd), b.index(sk), b.index(1), acc.subList(0, per), (jb, j, a) -> {
                List<Value> next = new ArrayList<>(a);
                accumulate(jb, v, scores, rows, bi, j, cols, lanes, ct, a, next, 0);
                return next;
            });
            acc = new ArrayList<>(acc);
            for (int k = 0; k < per; k++) {
                acc.set(k, first.get(k));
            }
        }
        for (int r = 0; r < rb; r++) {
            Value scaleBy = lanes > 1 ? b.broadcast(inverses.get(r), lanes) : inverses.get(r);
            Value max = lanes > 1 ? b.broadcast(maxes.get(r), lanes) : maxes.get(r);
            Value masked = b.cmp("eq", max, b.constant(max.type(), Double.NEGATIVE_INFINITY));
            for (int k = 0; k < count; k++) {
                Value total = acc.get(r * count + k);
                for (int p = 1; p < u; p++) {
                    total = b.add(total, acc.get(p * per + r * count + k));
                }
                Value result = b.cast(b.mul(total, scaleBy), ot);
                result = b.select(masked, b.constant(result.type(), 0.0), result);
                List<Value> at = out.at(b, bi, is.get(r), cols.get(k));
                if (lanes > 1) {
                    b.vstore(result, out.buffer(), at);
                } else {
                    b.store(result, out.buffer(), at);
                }
            }
        }
    }

    /** {@code next[base + r * count + k] = fma(p[row r, j], v[j, column vector k], a[...])} for the block. */
    private static void accumulate(LoopBuilder b, Operand v, Value scores, List<Value> rows, List<Value> bi, Value j,
            List<Value> cols, int lanes, ScalarType ct, List<Value> a, List<Value> next, int base) {
        int count = cols.size();
        List<Value> vs = new ArrayList<>(count);
        for (Value col : cols) {
            List<Value> at = v.at(b, bi, j, col);
            vs.add(b.cast(lanes > 1 ? b.vload(v.buffer(), at, lanes) : b.load(v.buffer(), at), ct));
        }
        for (int r = 0; r < rows.size(); r++) {
            Value pj = b.load(scores, List.of(rows.get(r), j));
            Value pv = lanes > 1 ? b.broadcast(pj, lanes) : pj;
            for (int k = 0; k < count; k++) {
                int slot = base + r * count + k;
                next.set(slot, b.fma(pv, vs.get(k), a.get(slot)));
            }
        }
    }
}
