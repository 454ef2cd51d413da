package dev.lathe.passes.lower.ops;

import dev.lathe.costmodel.GemmBlocking;
import dev.lathe.costmodel.MachineModel;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;

/**
 * The schedule of one {@link PackedGemm}: the cost model's GEMM blocking ({@link GemmBlocking},
 * ranked through {@code CostModel.best}) fitted to the caches by {@link GemmBlocking#fitCaches},
 * and the split of {@code batch x m x n} into units of work for {@code tasks} parallel tasks:
 * whole matrices when there are enough of them, else chunks of rows (each task packs all of B's
 * columns it needs, A only its rows), else chunks of columns (skinny M).
 *
 * @param mr      rows of the micro-tile
 * @param nr      columns of the micro-tile, a multiple of {@code lanes}
 * @param lanes   f32 lanes of one vector
 * @param mc      rows of a packed A block (multiple of mr)
 * @param nc      columns of a packed B block (multiple of nr)
 * @param kc      depth of both blocks
 * @param tasks   parallel tasks; each owns an A block and a B block of scratch
 * @param mChunks row chunks per matrix, of {@code mStep} rows (a multiple of mr)
 * @param nChunks column chunks per matrix, of {@code nStep} columns (a multiple of nr)
 */
record GemmPlan(int mr, int nr, int lanes, long mc, long nc, long kc, int tasks, long mChunks, long mStep, long nChunks,
                long nStep) {

    static GemmPlan of(KernelContext cx, long batch, long m, long n, long k, boolean constantB) {
        MachineModel machine = cx.machine();
        ScalarType et = ScalarType.F32;
        GemmBlocking g = GemmBlocking.of(cx.costModel().bestGemm(batch * m, n, k, et, machine))
                .fitCaches(machine, et.byteSize());
        int lanes = cx.vectorLanes(et);
        int mr = (int) Math.max(1, Math.min(g.mr(), m));
        int nr = (int) Math.max(lanes, g.nr() / lanes * lanes);
        long mc = Math.max(mr, g.mc() / mr * mr);
        long nc = Math.max(nr, g.nc() / nr * nr);
        long kc = Math.max(1, Math.min(g.kc(), k));
        if (m == 1 && constantB) {
            // GEMV: A's one row sits in L1 whatever its length and C's row in registers, so K is not
            // blocked: each B panel is then read once, start to end, and the packed panels follow
            // one another, the whole weight one contiguous stream (no C reloads either).
            kc = k;
        } else {
            // Equal depth blocks: 2048 in blocks of 288 left a last block of 32, a whole pass over C
            // for little work; 8 blocks of 256 do the same sums with the same k order.
            long blocks = (k + kc - 1) / kc;
            kc = (k + blocks - 1) / blocks;
        }
        int tasks = Math.max(1, g.tasks());
        long mPanels = (m + mr - 1) / mr;
        long nPanels = (n + nr - 1) / nr;
        Split split = split(batch, mPanels, nPanels, tasks);
        long mChunks = split.rowChunks();
        long nChunks = split.colChunks();
        long mStep = (mPanels + mChunks - 1) / mChunks * mr;
        long nStep = (nPanels + nChunks - 1) / nChunks * nr;
        mChunks = (m + mStep - 1) / mStep;
        nChunks = (n + nStep - 1) / nStep;
        if (constantB && mStep * kc * et.byteSize() <= machine.l1dBytes() / 2) {
            // Skinny M with a constant B (MiniLM at seq 16: 16 rows): B comes from memory, so all of
            // the chunk's rows take each B slice in one A block; with the cost model's MC of 8 rows
            // the second block re-read B and its first pass alone prefetched the next slice
            // (16x384x384 in MiniLM 10-15% faster).
            mc = mStep;
        }
        mc = Math.min(mc, mStep);
        nc = Math.min(nc, nStep);
        long units = batch * mChunks * nChunks;
        tasks = (int) Math.min(tasks, units);
        return new GemmPlan(mr, nr, lanes, mc, nc, kc, tasks, mChunks, mStep, nChunks, nStep);
    }

    /** How one matrix is cut for the tasks: row chunks x column chunks (1 x 1: the batch feeds them). */
    record Split(long rowChunks, long colChunks) {}

    /**
     * The work split of both GEMM kernels (this one and the unpacked {@link RowBlocks}): whole
     * matrices when the batch feeds every task; else rows, when each task gets at least two row
     * panels; else columns, so each task streams only its share of B (a task reading all of B for
     * a handful of rows would double B's traffic).
     */
    static Split split(long batch, long rowPanels, long colPanels, long tasks) {
        if (tasks <= 1 || batch >= tasks) {
            return new Split(1, 1);
        }
        long need = (tasks + batch - 1) / batch;
        return rowPanels >= 2 * need ? new Split(need, 1) : new Split(1, Math.max(1, Math.min(need, colPanels)));
    }
}
