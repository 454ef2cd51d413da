package dev.lathe.costmodel;

/**
 * The compute side of the roofline: cycles one core spends issuing a kernel's arithmetic, given how
 * well the schedule uses the SIMD lanes, the register micro-tile and the FMA pipes.
 */
final class ComputeTime {

    /** Latency of a dependent FMA chain, cycles (Skylake to Zen 4: 4). */
    static final double FMA_LATENCY_CYCLES = 4;
    /** Vector loads a core issues per cycle. */
    static final double LOAD_PORTS = 2;
    /** Extra issue cycles per spilled register per body: a reload and a store that also lengthen the chain. */
    static final double SPILL_CYCLES = 2;
    /** Increment, compare and branch of the innermost loop, cycles per trip. */
    static final double LOOP_OVERHEAD_CYCLES = 1;

    private ComputeTime() {
    }

    /** Cycles one core would need to run the whole kernel alone. */
    static double cycles(KernelFeatures k, Schedule s, MachineModel m) {
        double efficiency = vectorEfficiency(k, s, m) * registerEdgeEfficiency(k, s)
                * (k.reduces() ? microKernelEfficiency(k, s, m) : 1.0);
        double flopCycles = k.flops() / (m.flopsPerCycle(k.elementType()) * efficiency);
        double bodies = k.iterations() / (pointsPerBody(s) * s.unroll());
        return flopCycles + Math.max(1, bodies) * LOOP_OVERHEAD_CYCLES;
    }

    /**
     * Machine lanes doing useful work along the vector loop: {@code w}-lane vectors cost
     * {@code max(1, w / L)} machine operations each, and the remainder of every tile runs scalar.
     */
    static double vectorEfficiency(KernelFeatures k, Schedule s, MachineModel m) {
        long ext = k.extent(s.vectorLoop());
        long tile = Math.min(s.tile(s.vectorLoop()), ext);
        double ops = (ext / tile) * vectorOps(tile, s.vectorLanes(), m.lanes(k.elementType()))
                + vectorOps(ext % tile, s.vectorLanes(), m.lanes(k.elementType()));
        return ext / (m.lanes(k.elementType()) * ops);
    }

    private static double vectorOps(long points, int lanes, int machineLanes) {
        return (points / lanes) * Math.max(1.0, (double) lanes / machineLanes) + points % lanes;
    }

    /** Work wasted when a register tile does not divide its loop's tile (the edge is padded). */
    static double registerEdgeEfficiency(KernelFeatures k, Schedule s) {
        double eff = 1;
        for (int l = 0; l < s.rank(); l++) {
            long r = s.registerTile(l);
            if (l == s.vectorLoop() || r == 1) {
                continue; // the vector loop's edge is charged by vectorEfficiency
            }
            long ext = k.extent(l);
            long tile = Math.min(s.tile(l), ext);
            double padded = (ext / tile) * roundUp(tile, r) + roundUp(ext % tile, r);
            eff *= ext / padded;
        }
        return eff;
    }

    /**
     * How close the innermost body of a reduction gets to the FMA pipes' peak. Per body it issues
     * {@code ops} vector FMAs into {@code chains} independent accumulators and loads its operands;
     * it is bound by the pipes, the load ports, or the FMA latency of each chain, and pays for every
     * register the accumulators and loaded vectors need beyond the register file.
     */
    static double microKernelEfficiency(KernelFeatures k, Schedule s, MachineModel m) {
        int w = s.vectorLanes();
        boolean vectorLoopReduces = k.isReductionLoop(s.vectorLoop());
        double vectorsPerStep = pointsPerBody(s) / w;
        double ops = vectorsPerStep * s.unroll();
        double chains = accumulators(k, s);
        double loadsPerStep = 0;
        double liveLoaded = 0;
        for (KernelFeatures.Operand o : k.operands()) {
            if (o.written() || MemoryTime.isEpilogueInput(k, o)) {
                continue; // not loaded in the reduction's body
            }
            double points = 1;
            for (int l : o.loops()) {
                points *= s.registerTile(l);
            }
            boolean vector = o.loops().contains(s.vectorLoop());
            loadsPerStep += vector ? points / w : points;
            // Vectors stay live for the whole step; broadcast scalars are consumed one at a time.
            liveLoaded += vector ? (vectorLoopReduces ? 1 : points / w) : 1;
        }
        double live = chains + liveLoaded;
        double spilled = Math.max(0, live - m.vectorRegisters());
        double cycles = Math.max(ops / m.fmaUnits(),
                Math.max(loadsPerStep * s.unroll() / LOAD_PORTS, FMA_LATENCY_CYCLES * ops / chains))
                + spilled * SPILL_CYCLES * s.unroll();
        return (ops / m.fmaUnits()) / cycles;
    }

    /** Iteration points one execution of the innermost body covers (before unrolling). */
    static double pointsPerBody(Schedule s) {
        double n = 1;
        for (long r : s.registerTile()) {
            n *= r;
        }
        return n;
    }

    /** Vector registers holding accumulators for a reduction body (0 for kernels that do not reduce). */
    static double accumulators(KernelFeatures k, Schedule s) {
        if (!k.reduces()) {
            return 0;
        }
        return pointsPerBody(s) / s.vectorLanes() * (k.isReductionLoop(s.vectorLoop()) ? s.unroll() : 1);
    }

    private static double roundUp(long n, long multiple) {
        return Math.ceil((double) n / multiple) * multiple;
    }
}
