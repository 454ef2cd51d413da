package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code dst[dstMap(iv)] = src[srcMap(iv)]} for every {@code iv} of an iteration space (see
 * {@link AffineAccess}). The innermost loop runs in vectors when it walks both buffers' last dims
 * with stride 1; a transpose-like pair (the innermost loop contiguous in {@code dst}, another
 * contiguous in {@code src}) is copied in square tiles so both sides stay in cache; the outer
 * loops (and, when they are too few, chunks of the inner one) are split across threads.
 */
final class AffineCopy {

    /** Tile edge of the blocked transpose: 32 rows of 32 elements stay in L1 for any element size. */
    private static final long TILE = 32;

    private AffineCopy() {}

    static void emit(KernelContext cx, long[] space, AffineAccess src, AffineAccess dst) {
        long total = 1;
        for (long s : space) {
            total *= s;
        }
        if (total == 0) {
            return;
        }
        LoopBuilder b = cx.builder();
        int r = space.length;
        if (r == 0) {
            b.store(b.load(src.buffer(), src.indices(b, List.of(), -1)), dst.buffer(), dst.indices(b, List.of(), -1));
            return;
        }
        ScalarType et = ((MemRefType) dst.buffer().type()).elementType();
        long tasks = Parallelism.tasks(cx, total, et, 1);
        int k = r - 1;
        int q = transposedLoop(space, src, dst);
        if (q >= 0) {
            tiled(b, space, src, dst, q, tasks);
            return;
        }
        long inner = space[k];
        int lanes = src.contiguousIn(k) && dst.contiguousIn(k) ? lanes(cx, et, inner) : 1;
        long outer = total / inner;
        long chunk = inner;
        if (tasks > 1 && outer < 2 * tasks && inner >= 2048) {
            // too few rows to keep every thread busy: split rows into chunks too
            long wanted = Math.min((2 * tasks + outer - 1) / outer, inner / 1024);
            chunk = roundUp((inner + wanted - 1) / wanted, Math.max(lanes, 1));
        }
        long chunks = (inner + chunk - 1) / chunk;
        long[] outerShape = Arrays.copyOf(space, k);
        long iterations = outer * chunks;
        final long c = chunk;
        final int l = lanes;
        b.parallel(0, iterations, 1, Parallelism.grain(iterations, tasks), (pb, flat) -> {
            List<Value> ivs = new ArrayList<>();
            Value row = chunks == 1 ? flat : pb.div(flat, pb.index(chunks));
            if (k > 0) {
                ivs.addAll(pb.delinearize(row, outerShape));
            }
            ivs.add(pb.index(0));
            List<Value> srcBase = src.indices(pb, ivs, k);
            List<Value> dstBase = dst.indices(pb, ivs, k);
            if (chunks == 1) {
                row(pb, src, dst, k, srcBase, dstBase, pb.index(0), pb.index(inner), inner, l);
            } else {
                Value lb = pb.mul(pb.rem(flat, pb.index(chunks)), pb.index(c));
                Value ub = pb.min(pb.add(lb, pb.index(c)), pb.index(inner));
                row(pb, src, dst, k, srcBase, dstBase, lb, ub, -1, l);
            }
        });
    }

    /** One run of loop {@code k} over {@code [lb, ub)}; {@code staticLength} >= 0 when lb = 0 and ub is known. */
    private static void row(LoopBuilder b, AffineAccess src, AffineAccess dst, int k, List<Value> srcBase,
            List<Value> dstBase, Value lb, Value ub, long staticLength, int lanes) {
        Value vectorEnd = lb;
        if (lanes > 1) {
            vectorEnd = staticLength >= 0 ? b.index(staticLength / lanes * lanes)
                    : b.sub(ub, b.rem(b.sub(ub, lb), b.index(lanes)));
            b.forRange(lb, vectorEnd, b.index(lanes), (vb, j) -> vb.vstore(
                    vb.vload(src.buffer(), src.advance(vb, srcBase, k, j), lanes), dst.buffer(),
                    dst.advance(vb, dstBase, k, j)));
        }
        if (lanes <= 1 || staticLength < 0 || staticLength % lanes != 0) {
            b.forRange(vectorEnd, ub, b.index(1), (sb, j) -> sb.store(
                    sb.load(src.buffer(), src.advance(sb, srcBase, k, j)), dst.buffer(), dst.advance(sb, dstBase, k, j)));
        }
    }

    /**
     * The loop that walks {@code src}'s last dim with stride 1 when the innermost loop walks only
     * {@code dst}'s (a transpose of the two innermost dims, up to others); -1 when there is none
     * or the dims are too small for tiling to pay.
     */
    private static int transposedLoop(long[] space, AffineAccess src, AffineAccess dst) {
        int k = space.length - 1;
        if (!dst.contiguousIn(k) || src.contiguousIn(k) || space[k] < 8) {
            return -1;
        }
        for (int q = 0; q < k; q++) {
            if (src.contiguousIn(q) && space[q] >= 8) {
                return q;
            }
        }
        return -1;
    }

    /** The copy in TILE x TILE blocks of loops {@code q} (read-contiguous) and {@code k} (write-contiguous). */
    private static void tiled(LoopBuilder b, long[] space, AffineAccess src, AffineAccess dst, int q, long tasks) {
        int k = space.length - 1;
        long tq = (space[q] + TILE - 1) / TILE;
        long tk = (space[k] + TILE - 1) / TILE;
        // the parallel space: every loop but q and k, then the tile indices of q and k
        long[] pspace = new long[space.length];
        int[] loopOf = new int[space.length];
        int n = 0;
        for (int d = 0; d < k; d++) {
            if (d != q) {
                loopOf[n] = d;
                pspace[n++] = space[d];
            }
        }
        pspace[n++] = tq;
        pspace[n++] = tk;
        long[] shape = Arrays.copyOf(pspace, n);
        long iterations = 1;
        for (long s : shape) {
            iterations *= s;
        }
        int others = n - 2;
        b.parallel(0, iterations, 1, Parallelism.grain(iterations, tasks), (pb, flat) -> {
            List<Value> idx = pb.delinearize(flat, shape);
            Value[] ivs = new Value[space.length];
            for (int i = 0; i < others; i++) {
                ivs[loopOf[i]] = idx.get(i);
            }
            Value q0 = pb.mul(idx.get(others), pb.index(TILE));
            Value k0 = pb.mul(idx.get(others + 1), pb.index(TILE));
            Value q1 = pb.min(pb.add(q0, pb.index(TILE)), pb.index(space[q]));
            Value k1 = pb.min(pb.add(k0, pb.index(TILE)), pb.index(space[k]));
            pb.forRange(q0, q1, pb.index(1), (qb, iq) -> {
                ivs[q] = iq;
                ivs[k] = qb.index(0);
                List<Value> all = Arrays.asList(ivs.clone());
                List<Value> srcBase = src.indices(qb, all, k);
                List<Value> dstBase = dst.indices(qb, all, k);
                qb.forRange(k0, k1, qb.index(1), (kb, ik) -> kb.store(
                        kb.load(src.buffer(), src.advance(kb, srcBase, k, ik)), dst.buffer(),
                        dst.advance(kb, dstBase, k, ik)));
            });
        });
    }

    /** A power-of-two vector width no wider than the machine's or the row. */
    static int lanes(KernelContext cx, ScalarType et, long inner) {
        int lanes = cx.vectorLanes(et);
        while (lanes > 1 && lanes > inner) {
            lanes /= 2;
        }
        return lanes < 2 ? 1 : lanes;
    }

    private static long roundUp(long x, long m) {
        return (x + m - 1) / m * m;
    }
}
