package dev.lathe.costmodel;

import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;

/**
 * A cost model whose {@link #bestGemm} answers from measured choices ({@code --tune},
 * docs/costmodel.md#measured-search---tune) where it has one for the problem, and asks
 * {@code base} otherwise. Every other question goes to {@code base} unchanged, so only GEMM
 * schedules differ from the model this one wraps.
 */
public final class TunedCostModel implements CostModel {

    private final CostModel base;
    private final Map<GemmProblem, Schedule> choices;

    public TunedCostModel(CostModel base, Map<GemmProblem, Schedule> choices) {
        this.base = base;
        this.choices = Map.copyOf(choices);
    }

    public Map<GemmProblem, Schedule> choices() {
        return choices;
    }

    @Override
    public MachineModel machine() {
        return base.machine();
    }

    @Override
    public double estimateSeconds(KernelFeatures kernel, Schedule schedule, MachineModel machine) {
        return base.estimateSeconds(kernel, schedule, machine);
    }

    @Override
    public Schedule best(KernelFeatures kernel, List<Schedule> candidates) {
        return base.best(kernel, candidates);
    }

    @Override
    public Schedule bestGemm(long m, long n, long k, ScalarType et, MachineModel candidatesFor) {
        Schedule chosen = choices.get(new GemmProblem(m, n, k, et));
        return chosen != null ? chosen : base.bestGemm(m, n, k, et, candidatesFor);
    }

    @Override
    public List<Schedule> rankedGemm(long m, long n, long k, ScalarType et, MachineModel candidatesFor) {
        return base.rankedGemm(m, n, k, et, candidatesFor);
    }

    @Override
    public double bestSeconds(KernelFeatures kernel) {
        return base.bestSeconds(kernel);
    }

    @Override
    public boolean shouldFuse(KernelFeatures producer, KernelFeatures consumer, KernelFeatures fused) {
        return base.shouldFuse(producer, consumer, fused);
    }

    @Override
    public String toString() {
        return "TunedCostModel[" + choices.size() + " GEMM choices over " + base + "]";
    }
}
