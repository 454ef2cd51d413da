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
 * static, so both block heights are emitted as straight code). With few row blocks for the
 * tasks (skinny M, e.g. MiniLM at seq 16: 2 blocks of 8 rows) each work unit is a row block x a
 * column chunk, column chunk outermost, so that each task streams only its share of B: split by
 * rows, every task would read all of B and a second thread would add no bandwidth.
 */
final class RowBlocks {

    /** Emits rows {@code i0 .. i0+height} of the matrix at {@code batch} (indices into the batch shape). */
    @FunctionalInterface
    interface Body {
        void emit(LoopBuilder b, List<Value> batch, Value i0, int height);
    }

    /** Emits rows {@code i0 .. i0+height} of the matrix at {@code batch}, column chunk {@code chunk} of {@code chunks}. */
    @FunctionalInterface
    interface ChunkBody {
        void emit(LoopBuilder b, List<Value> batch, Value i0, int height, Value chunk);
    }

    /**
     * The register tile and thread split the cost model picks for an {@code m x n x k} product;
     * {@code colChunks}: column chunks of whole {@code lanes x vectors} tiles per row block (1: none).
     */
    record Plan(int mr, int lanes, int vectors, long tasks, long colChunks) {
        Plan(int mr, int lanes, int vectors, long tasks) {
            this(mr, lanes, vectors, tasks, 1);
        }
    }

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
        long tasks = Math.max(1, g.tasks());
        return new Plan(mr, lanes, vectors, tasks, colChunks(batch, (m + mr - 1) / mr, n, (long) lanes * vectors, tasks));
    }

    /**
     * Column chunks per row block, by {@link GemmPlan#split} (rows split through the parallel
     * loop's grain; columns in chunks of whole tiles); 1 for scalar columns.
     */
    static long colChunks(long batch, long blocks, long n, long tile, long tasks) {
        long tiles = n / tile;
        long want = tile <= 1 || tiles < 2 ? 1 : GemmPlan.split(batch, blocks, tiles, tasks).colChunks();
        long per = (tiles + want - 1) / want;
        return want == 1 ? 1 : (tiles + per - 1) / per;
    }

    /** Emits the parallel loop: {@code batchShape} matrices of {@code rows} rows, {@code mr} rows per block. */
    static void emit(LoopBuilder b, long[] batchShape, long rows, int mr, long tasks, Body body) {
        emit(b, batchShape, rows, mr, tasks, 1, (cb, bidx, i0, height, chunk) -> body.emit(cb, bidx, i0, height));
    }

    /**
     * The same with {@code chunks} column chunks per row block: unit {@code c * rowUnits + r} is
     * row unit {@code r} at column chunk {@code c}, so that a task's run of consecutive units covers
     * one column chunk of every row block (the whole of its share of B, read once per row block).
     */
    static void emit(LoopBuilder b, long[] batchShape, long rows, int mr, long tasks, long chunks, ChunkBody body) {
        long batch = 1;
        for (long d : batchShape) {
            batch *= d;
        }
        long blocks = (rows + mr - 1) / mr;
        long fullBlocks = rows / mr;
        int tail = (int) (rows % mr);
        long rowUnits = batch * blocks;
        long total = rowUnits * chunks;
        if (total == 0) {
            return;
        }
        long grain = tasks > 1 ? Math.max(1, (total + tasks - 1) / tasks) : total;
        b.parallel(0, total, 1, grain, (pb, unit) -> {
            Value chunk = chunks == 1 ? pb.index(0) : pb.div(unit, pb.index(rowUnits));
            Value flat = chunks == 1 ? unit : pb.rem(unit, pb.index(rowUnits));
            Value blk = blocks == 1 ? pb.index(0) : pb.rem(flat, pb.index(blocks));
            Value rest = blocks == 1 ? flat : pb.div(flat, pb.index(blocks));
            List<Value> bidx = batchShape.length == 0 ? List.of() : pb.delinearize(rest, batchShape);
            Value i0 = pb.mul(blk, pb.index(mr));
            if (tail == 0) {
                body.emit(pb, bidx, i0, mr, chunk);
            } else if (fullBlocks == 0) {
                body.emit(pb, bidx, i0, tail, chunk);
            } else {
                pb.ifElse(pb.cmp("lt", blk, pb.index(fullBlocks)), List.of(), tb -> {
                    body.emit(tb, bidx, i0, mr, chunk);
                    return List.of();
                }, eb -> {
                    body.emit(eb, bidx, i0, tail, chunk);
                    return List.of();
                });
            }
        });
    }
}
