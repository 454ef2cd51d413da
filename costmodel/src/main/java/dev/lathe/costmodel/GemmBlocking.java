package dev.lathe.costmodel;

/**
 * A GEMM schedule read back in BLIS terms, so a lowering need not remember which loop index is which.
 *
 * @param mr           rows of the register micro-tile
 * @param nr           columns of the register micro-tile (a multiple of {@code vectorLanes})
 * @param mc           rows of the cache block of A
 * @param nc           columns of the cache block of B
 * @param kc           depth of the cache blocks
 * @param vectorLanes  SIMD lanes along the columns
 * @param unrollK      copies of the micro-kernel body per k trip
 * @param tasks        parallel tasks (1: sequential)
 * @param parallelLoop {@link Schedules#GEMM_M} or {@link Schedules#GEMM_N} when parallel, else -1
 */
public record GemmBlocking(long mr, long nr, long mc, long nc, long kc, int vectorLanes, int unrollK, int tasks,
                           int parallelLoop) {

    /** Reads a schedule of {@link KernelFeatures#gemm}'s loop nest {@code [m, n, k]}. */
    public static GemmBlocking of(Schedule s) {
        if (s.rank() != 3 || s.vectorLoop() != Schedules.GEMM_N || s.registerTile(Schedules.GEMM_K) != 1) {
            throw new IllegalArgumentException("not a GEMM schedule (loops [m, n, k], vectors along n, no register "
                    + "tile along k): " + s.describe());
        }
        return new GemmBlocking(s.registerTile(Schedules.GEMM_M), s.registerTile(Schedules.GEMM_N),
                s.tile(Schedules.GEMM_M), s.tile(Schedules.GEMM_N), s.tile(Schedules.GEMM_K), s.vectorLanes(), s.unroll(),
                s.tasks(), s.parallelLoop());
    }

    /** Accumulator vector registers of the micro-tile. */
    public long accumulators() {
        return mr * nr / vectorLanes;
    }

    /**
     * This blocking with its cache blocks shrunk to the caches of {@code machine} (elements of
     * {@code elementBytes}): the KC x NR micro-panel of B within three quarters of L1 (it is reread
     * for every MR rows of A, whose broadcasts stream past it; half of L1 measured slower, the extra
     * C reloads of the smaller KC costing more than the occasional L1 miss), the MC x KC block of A within half of L2, the KC x NC block of B within a
     * quarter of the L3 share of one core (or of L2 without L3). Blocks only shrink; the micro-tile
     * is kept.
     */
    public GemmBlocking fitCaches(MachineModel machine, int elementBytes) {
        long kcFit = Math.max(16, machine.l1dBytes() * 3 / 4 / (nr * elementBytes));
        long newKc = Math.min(kc, kcFit);
        long mcFit = Math.max(mr, machine.l2Bytes() / 2 / (newKc * elementBytes) / mr * mr);
        long outer = machine.l3Bytes() > 0 ? machine.l3Bytes() / machine.cores() / 4 : machine.l2Bytes() / 2;
        long ncFit = Math.max(nr, outer / (newKc * elementBytes) / nr * nr);
        return new GemmBlocking(mr, nr, Math.min(mc, mcFit), Math.min(nc, ncFit), newKc, vectorLanes, unrollK, tasks,
                parallelLoop);
    }
}
