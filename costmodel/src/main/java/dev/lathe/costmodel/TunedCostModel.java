package dev.lathe.costmodel;

import dev.lathe.ir.type.ScalarType;
import java.util.Map;

/**
 * A cost model whose {@link #bestGemm} answers from measured choices ({@code --tune},
 * docs/costmodel.md#measured-search---tune) where it has one for the problem, and asks
 * {@code base} otherwise. Every other question goes to {@code base} unchanged, so only GEMM
 * schedules differ from the model this one wraps.
 */
public final class TunedCostModel extends ForwardingCostModel {

    private final Map<GemmProblem, Schedule> choices;

    public TunedCostModel(CostModel base, Map<GemmProblem, Schedule> choices) {
        super(base);
        this.choices = Map.copyOf(choices);
    }

    public Map<GemmProblem, Schedule> choices() {
        return choices;
    }

    @Override
    public Schedule bestGemm(long m, long n, long k, ScalarType et, MachineModel candidatesFor) {
        Schedule chosen = choices.get(new GemmProblem(m, n, k, et));
        return chosen != null ? chosen : base.bestGemm(m, n, k, et, candidatesFor);
    }

    @Override
    public String toString() {
        return "TunedCostModel[" + choices.size() + " GEMM choices over " + base + "]";
    }
}
