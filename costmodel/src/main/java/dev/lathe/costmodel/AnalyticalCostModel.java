package dev.lathe.costmodel;

import dev.lathe.ir.type.ScalarType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A roofline model: a kernel takes as long as the slower of its arithmetic and its data movement
 * on the cores it uses, plus the cost of dispatching its parallel tasks. Needs no training data, so
 * it is the fallback on any machine; docs/costmodel.md gives every formula with units.
 */
public final class AnalyticalCostModel implements CostModel {

    /**
     * Cost of handing one task to the thread pool and joining it, seconds. Measured with
     * {@code bench/dispatch} on the 2-core AVX-512 host (docs/backend-cpu.md, "Parallel
     * runtime"): a two-task loop costs 0.4 to 2 µs (0.2 to 1 µs a task) when the worker is
     * awake, about 40 µs when it must be woken (the caller claims what a late worker has not,
     * so less in practice). 2 µs a task lies between,
     * keeps a kernel under about 8 µs sequential on two cores, and 1 µs did no better on Silero
     * at two threads (the figures are in the runtime's docs).
     */
    static final double TASK_DISPATCH_SECONDS = 2e-6;
    /** Fraction of the shorter of compute and memory time that does not overlap with the longer. */
    static final double NON_OVERLAP = 0.1;

    /** Most GEMM choices remembered; past it the memo starts over (a model is compiled once per shape). */
    private static final int MAX_GEMM_CHOICES = 4096;

    private record GemmShape(long m, long n, long k, ScalarType et, MachineModel candidatesFor) {}

    private final MachineModel machine;
    /**
     * {@link #bestGemm} per shape: ranking its few thousand candidates was a large part of
     * lowering a transformer, whose layers repeat the same few shapes. The estimates are pure
     * functions of their arguments, so the memo changes no choice.
     */
    private final Map<GemmShape, Schedule> gemmChoices = new ConcurrentHashMap<>();

    public AnalyticalCostModel(MachineModel machine) {
        this.machine = machine;
    }

    @Override
    public MachineModel machine() {
        return machine;
    }

    @Override
    public Schedule bestGemm(long m, long n, long k, ScalarType et, MachineModel candidatesFor) {
        GemmShape shape = new GemmShape(m, n, k, et, candidatesFor);
        Schedule known = gemmChoices.get(shape);
        if (known != null) {
            return known;
        }
        Schedule best = CostModel.super.bestGemm(m, n, k, et, candidatesFor);
        if (gemmChoices.size() >= MAX_GEMM_CHOICES) {
            gemmChoices.clear();
        }
        gemmChoices.put(shape, best);
        return best;
    }

    @Override
    public double estimateSeconds(KernelFeatures kernel, Schedule schedule, MachineModel m) {
        return explain(kernel, schedule, m).totalSeconds();
    }

    public Estimate explain(KernelFeatures kernel, Schedule schedule) {
        return explain(kernel, schedule, machine);
    }

    /** The estimate with its parts. */
    public Estimate explain(KernelFeatures k, Schedule s, MachineModel m) {
        s.checkFits(k);
        int cores = Math.min(s.tasks(), m.cores());
        double imbalance = imbalance(k, s, cores);
        double compute = ComputeTime.cycles(k, s, m) / (m.frequencyGHz() * 1e9) / cores * imbalance;
        double memory = MemoryTime.seconds(k, s, cores, m) * imbalance;
        double overhead = s.isParallel() ? s.tasks() * TASK_DISPATCH_SECONDS : 0;
        double total = Math.max(compute, memory) + NON_OVERLAP * Math.min(compute, memory) + overhead;
        return new Estimate(compute, memory, overhead, total, cores,
                MemoryTime.dataLevel(k, cores, m), MemoryTime.tileLevel(k, s, cores, m));
    }

    /**
     * Critical path over perfect balance: the busiest core runs {@code ceil(tasks / cores)} rounds of
     * {@code ceil(units / tasks)} tiles of the parallel loop, where perfect balance is {@code units / cores}.
     */
    static double imbalance(KernelFeatures k, Schedule s, int cores) {
        if (!s.isParallel()) {
            return 1;
        }
        double units = Math.ceil((double) k.extent(s.parallelLoop()) / s.tile(s.parallelLoop()));
        double rounds = Math.ceil((double) s.tasks() / cores);
        double perTask = Math.ceil(units / s.tasks());
        return rounds * perTask * cores / units;
    }

    @Override
    public String toString() {
        return "AnalyticalCostModel[" + machine.describe() + "]";
    }
}
