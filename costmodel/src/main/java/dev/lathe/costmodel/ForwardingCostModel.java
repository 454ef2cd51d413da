package dev.lathe.costmodel;

import dev.lathe.ir.type.ScalarType;
import java.util.List;

/**
 * A cost model that asks {@code base} every question: the base of the decorators that change
 * one answer ({@link TunedCostModel}: measured GEMM schedules; the tuner's recording model) and
 * must not lose the wrapped model's overrides of the others.
 */
public abstract class ForwardingCostModel implements CostModel {

    protected final CostModel base;

    protected ForwardingCostModel(CostModel base) {
        this.base = base;
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
        return base.bestGemm(m, n, k, et, candidatesFor);
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
}
