package dev.lathe.costmodel;

import dev.lathe.ir.type.ScalarType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Candidate schedules that lowerings hand to {@link CostModel#best}. Every candidate is valid for
 * the kernel it was made for; the generators propose, the cost model decides.
 */
public final class Schedules {

    /** Loop indices of {@link KernelFeatures#gemm}'s iteration space. */
    public static final int GEMM_M = 0;
    public static final int GEMM_N = 1;
    public static final int GEMM_K = 2;

    private static final int GEMM_UNROLL_K = 4;
    private static final int[] MICRO_ROWS = {1, 2, 4, 6, 8, 12, 14, 16};
    private static final int[] MICRO_COL_VECTORS = {1, 2, 3, 4};
    private static final long[] ROW_BLOCKS = {64, 128, 256};
    private static final long[] DEPTH_BLOCKS = {128, 256, 512};
    private static final long[] COL_BLOCKS = {512, 2048};

    private Schedules() {
    }

    /**
     * An elementwise kernel over {@code numElements} points, flattened to one loop (the iteration space
     * of {@link KernelFeatures#elementwise}): every vector width up to the machine's, unroll 1/2/4, and
     * sequential or split into 1, 2 or 4 chunks per core.
     */
    public static List<Schedule> elementwise(long numElements, ScalarType et, MachineModel m) {
        Set<Schedule> out = new LinkedHashSet<>();
        List<Long> extents = List.of(numElements);
        for (int lanes : laneChoices(numElements, m.lanes(et))) {
            for (int unroll : new int[] {1, 2, 4}) {
                addParallelVariants(out, Schedule.sequential(extents).withVector(0, lanes).withUnroll(unroll),
                        List.of(0), extents, m);
            }
        }
        return List.copyOf(out);
    }

    /**
     * {@code C[m,n] = A[m,k] B[k,n]} (loops {@code [m, n, k]} as in {@link KernelFeatures#gemm}): micro-tiles
     * of MR rows by NR = 1..4 vectors of columns (none whose accumulators alone overflow the register
     * file), cache blocks MC x NC x KC, k unrolled 4 times, and sequential or 1, 2 or 4 tasks per core
     * over row or column blocks. {@link GemmBlocking#of} reads one back.
     */
    public static List<Schedule> gemm(long m, long n, long k, ScalarType et, MachineModel machine) {
        Set<Schedule> out = new LinkedHashSet<>();
        int lanes = laneChoices(n, machine.lanes(et)).getLast();
        for (int mr : MICRO_ROWS) {
            if (mr > m && mr > 1) {
                continue;
            }
            for (int vectors : MICRO_COL_VECTORS) {
                long nr = (long) lanes * vectors;
                if (vectors > 1 && nr > roundUp(n, lanes) || (long) mr * vectors > machine.vectorRegisters()) {
                    continue; // wider than the matrix, or accumulators alone overflow the register file
                }
                for (long mc : blocks(ROW_BLOCKS, m, mr)) {
                    for (long nc : blocks(COL_BLOCKS, n, nr)) {
                        for (long kc : blocks(DEPTH_BLOCKS, k, 1)) {
                            Schedule base = Schedule.sequential(List.of(m, n, k)).withTiles(mc, nc, kc)
                                    .withRegisterTile((long) mr, nr, 1L).withVector(GEMM_N, lanes);
                            // k is always unrolled: more independent work per branch, no extra registers.
                            addParallelVariants(out, base.withUnroll(GEMM_UNROLL_K), List.of(GEMM_M, GEMM_N),
                                    List.of(m, n, k), machine);
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Generic candidates for any kernel: untiled, vectorized along the loop most operands are
     * contiguous in, register tiles of 1 or 4 on one other output loop when the kernel reduces,
     * unroll 1 or 4, sequential or split across cores over any output loop. Used to compare
     * kernels (fusion) when no specialised generator applies.
     */
    public static List<Schedule> forKernel(KernelFeatures kernel, MachineModel m) {
        int vl = contiguousLoop(kernel);
        List<Integer> outputLoops = new ArrayList<>();
        for (int l = 0; l < kernel.rank(); l++) {
            if (!kernel.isReductionLoop(l)) {
                outputLoops.add(l);
            }
        }
        int tiledLoop = -1;
        for (int l : outputLoops) {
            if (l != vl) {
                tiledLoop = l; // innermost output loop other than the vector loop
            }
        }
        Set<Schedule> out = new LinkedHashSet<>();
        for (int lanes : laneChoices(kernel.extent(vl), m.lanes(kernel.elementType()))) {
            for (long reg : kernel.reduces() && tiledLoop >= 0 ? new long[] {1, 4} : new long[] {1}) {
                if (reg > kernel.extent(Math.max(tiledLoop, 0))) {
                    continue;
                }
                Schedule s = Schedule.sequential(kernel).withVector(vl, lanes);
                if (reg > 1) {
                    List<Long> rt = new ArrayList<>(s.registerTile());
                    rt.set(tiledLoop, reg);
                    s = s.withRegisterTile(rt.toArray(Long[]::new));
                }
                for (int unroll : new int[] {1, 4}) {
                    addParallelVariants(out, s.withUnroll(unroll), outputLoops, kernel.extents(), m);
                }
            }
        }
        return List.copyOf(out);
    }

    /** {@code base} sequentially, and split over each of {@code loops} into 1, 2 or 4 tiles per core. */
    private static void addParallelVariants(Set<Schedule> out, Schedule base, List<Integer> loops, List<Long> extents,
                                            MachineModel m) {
        out.add(base);
        for (int loop : loops) {
            long extent = extents.get(loop);
            for (int tasks : taskChoices(m)) {
                if (tasks == 1) {
                    continue;
                }
                long grain = Math.max(base.registerTile(loop), loop == base.vectorLoop() ? base.vectorLanes() : 1);
                long chunk = roundUp(ceilDiv(extent, tasks), grain);
                long tile = Math.min(base.tile(loop), chunk);
                if (tile < base.registerTile(loop) || ceilDiv(extent, tile) < 2) {
                    continue; // too little of this loop to split
                }
                List<Long> tiles = new ArrayList<>(base.tiles());
                tiles.set(loop, tile);
                out.add(base.withTiles(tiles.toArray(Long[]::new)).withParallel(loop, tasks));
            }
        }
    }

    /** 1, cores, 2 x cores, 4 x cores (more tasks than cores smooth out uneven tiles). */
    private static List<Integer> taskChoices(MachineModel m) {
        Set<Integer> t = new LinkedHashSet<>(List.of(1, m.cores(), 2 * m.cores(), 4 * m.cores()));
        return List.copyOf(t);
    }

    /** Powers of two from 1 up to the machine's lanes, none wider than the loop. */
    static List<Integer> laneChoices(long extent, int machineLanes) {
        List<Integer> out = new ArrayList<>();
        for (int w = 1; w <= Math.min(machineLanes, Schedule.MAX_LANES) && w <= extent; w *= 2) {
            out.add(w);
        }
        return out;
    }

    /** Cache block sizes from {@code choices} that are below {@code extent}, plus the extent, in multiples of {@code unit}. */
    private static List<Long> blocks(long[] choices, long extent, long unit) {
        Set<Long> out = new LinkedHashSet<>();
        for (long c : choices) {
            if (c < extent) {
                out.add(Math.max(unit, roundUp(c, unit)));
            }
        }
        out.add(Math.max(unit, roundUp(extent, unit)));
        return List.copyOf(out);
    }

    /** The loop that is last (contiguous) in the most operands; ties and no operands go to the later loop. */
    static int contiguousLoop(KernelFeatures k) {
        int[] votes = new int[k.rank()];
        for (KernelFeatures.Operand o : k.operands()) {
            if (!o.loops().isEmpty()) {
                votes[o.loops().getLast()]++;
            }
        }
        int best = k.rank() - 1;
        for (int l = k.rank() - 1; l >= 0; l--) {
            if (votes[l] > votes[best]) {
                best = l;
            }
        }
        return best;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long roundUp(long a, long multiple) {
        return ceilDiv(a, multiple) * multiple;
    }
}
