package dev.lathe.backend.cpu.codegen;

import dev.lathe.ir.Block;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.loop.LoopOps;

/**
 * The least iterations one chunk of an outlined {@code loop.parallel} gets, from a rough count
 * of the operations an iteration executes: a chunk should hold at least {@link #MIN_CHUNK_OPS}
 * of them, so that handing it to another thread (0.6 to 2 µs on the JIT's pool, docs/backend-
 * cpu.md) does not cost more than it saves. Many lowerings (pad, gather, split, concat, small
 * fused kernels) emit {@code loop.parallel} with grain 1 whatever their size; with this floor a
 * loop of less than two chunks' work runs as one chunk on the calling thread (a direct call of
 * its body), and a larger one is never cut finer than the floor. Kernels whose grain the cost
 * model chose (GEMM row blocks, elementwise) keep it when it is larger.
 *
 * <p>The count: each op is one; a {@code loop.for} or nested {@code loop.parallel} multiplies its
 * body by its trip count (constant bounds; {@value #UNKNOWN_TRIPS} when they are not constants);
 * a {@code loop.if} counts its larger branch. A vector op counts as one, like the instruction it
 * becomes. No effect on results: chunking never changes what an iteration computes.
 */
final class ChunkFloor {

    /** About 1 to 2 µs of simple operations; {@code -Dlathe.minChunkOps=N} sets another (0: no floor). */
    static final long MIN_CHUNK_OPS = 2048;
    static final long UNKNOWN_TRIPS = 16;

    private ChunkFloor() {}

    /** The least iterations a chunk of {@code parallel} should take (at least 1). */
    static long iterations(Operation parallel) {
        long floor = Long.getLong("lathe.minChunkOps", MIN_CHUNK_OPS);
        if (floor <= 1) {
            return 1;
        }
        double perIteration = Math.max(1, ops(parallel.region(0).entryBlock()));
        return Math.max(1, (long) Math.ceil(floor / perIteration));
    }

    static double ops(Block block) {
        double n = 0;
        for (Operation op : block.operations()) {
            if (op.regions().isEmpty()) {
                n += 1;
            } else if (op.isA(LoopOps.IF)) {
                double most = 0;
                for (Region r : op.regions()) {
                    most = Math.max(most, ops(r));
                }
                n += 1 + most;
            } else {
                double body = 0;
                for (Region r : op.regions()) {
                    body += ops(r);
                }
                boolean loop = op.isA(LoopOps.FOR) || op.isA(LoopOps.PARALLEL);
                n += 1 + body * (loop ? trips(op) : 1);
            }
        }
        return n;
    }

    private static double ops(Region r) {
        double n = 0;
        for (Block b : r.blocks()) {
            n += ops(b);
        }
        return n;
    }

    /** The trip count of a loop over constant {@code (lb, ub, step)}, else {@link #UNKNOWN_TRIPS}. */
    private static long trips(Operation loop) {
        Long lb = constant(loop.operand(0));
        Long ub = constant(loop.operand(1));
        Long step = constant(loop.operand(2));
        if (lb == null || ub == null || step == null || step <= 0) {
            return UNKNOWN_TRIPS;
        }
        return ub > lb ? (ub - lb + step - 1) / step : 0;
    }

    private static Long constant(Value v) {
        if (v instanceof OpResult r && r.owner().isA(LoopOps.CONSTANT) && r.owner().attr("value") instanceof IntegerAttr i) {
            return i.value();
        }
        return null;
    }
}
