package dev.lathe.passes.lower.ops;

import dev.lathe.costmodel.GemmBlocking;
import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.List;

/**
 * One {@code loop.parallel} over {@code batch x ceil(rows / mr)} row blocks of a batched matrix
 * product; the last block of each matrix takes the {@code rows % mr} leftover rows (shapes are
 * static, so both block heights are emitted as straight code).
 */
final class RowBlocks {

    /** Emits rows {@code i0 .. i0+height} of the matrix at {@code batch} (indices into the batch shape). */
    @FunctionalInterface
    interface Body {
        void emit(LoopBuilder b, List<Value> batch, Value i0, int height);
    }

    /** The register tile and thread split the cost model picks for an {@code m x n x k} product. */
    record Plan(int mr, int lanes, int vectors, long tasks) {}

    private RowBlocks() {}

    /**
     * Asks the cost model for a GEMM schedule and keeps its micro-tile within what the emitter
     * handles well (at most 8 rows by 4 vectors), and its split.
     */
    static Plan plan(KernelContext cx, long batch, long m, long n, long k, ScalarType acc) {
        int machineLanes = cx.vectorLanes(acc);
        int lanes = GemmEmitter.fitLanes(machineLanes, n);
        if (m == 0 || n == 0) {
            return new Plan(1, lanes, 1, 1);
        }
        GemmBlocking g = GemmBlocking.of(cx.costModel().bestGemm(batch * m, n, Math.max(1, k), acc, cx.machine()));
        int mr = (int) Math.max(1, Math.min(Math.min(8, g.mr()), m));
        int vectors = lanes == 1 ? 1 : (int) Math.max(1, Math.min(4, g.nr() / Math.max(1, g.vectorLanes())));
        while (vectors > 1 && (long) vectors * lanes > n) {
            vectors--;
        }
        return new Plan(mr, lanes, vectors, Math.max(1, g.tasks()));
    }

    /** Emits the parallel loop: {@code batchShape} matrices of {@code rows} rows, {@code mr} rows per block. */
    static void emit(LoopBuilder b, long[] batchShape, long rows, int mr, long tasks, Body body) {
        long batch = 1;
        for (long d : batchShape) {
            batch *= d;
        }
        long blocks = (rows + mr - 1) / mr;
        long fullBlocks = rows / mr;
        int tail = (int) (rows % mr);
        long total = batch * blocks;
        if (total == 0) {
            return;
        }
        long grain = tasks > 1 ? Math.max(1, (total + tasks - 1) / tasks) : total;
        b.parallel(0, total, 1, grain, (pb, flat) -> {
            Value blk = blocks == 1 ? pb.index(0) : pb.rem(flat, pb.index(blocks));
            Value rest = blocks == 1 ? flat : pb.div(flat, pb.index(blocks));
            List<Value> bidx = batchShape.length == 0 ? List.of() : pb.delinearize(rest, batchShape);
            Value i0 = pb.mul(blk, pb.index(mr));
            if (tail == 0) {
                body.emit(pb, bidx, i0, mr);
            } else if (fullBlocks == 0) {
                body.emit(pb, bidx, i0, tail);
            } else {
                pb.ifElse(pb.cmp("lt", blk, pb.index(fullBlocks)), List.of(), tb -> {
                    body.emit(tb, bidx, i0, mr);
                    return List.of();
                }, eb -> {
                    body.emit(eb, bidx, i0, tail);
                    return List.of();
                });
            }
        });
    }
}
