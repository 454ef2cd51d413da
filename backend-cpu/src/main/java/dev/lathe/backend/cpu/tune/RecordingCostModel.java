package dev.lathe.backend.cpu.tune;

import dev.lathe.costmodel.CostModel;
import dev.lathe.costmodel.ForwardingCostModel;
import dev.lathe.costmodel.GemmProblem;
import dev.lathe.costmodel.MachineModel;
import dev.lathe.costmodel.Schedule;
import dev.lathe.ir.type.ScalarType;
import java.util.Set;

/** Answers as {@code base} does and notes every {@link #bestGemm} question: how the tuner finds a model's GEMM problems. */
final class RecordingCostModel extends ForwardingCostModel {

    private final Set<GemmProblem> asked;

    RecordingCostModel(CostModel base, Set<GemmProblem> asked) {
        super(base);
        this.asked = asked;
    }

    @Override
    public Schedule bestGemm(long m, long n, long k, ScalarType et, MachineModel candidatesFor) {
        asked.add(new GemmProblem(m, n, k, et));
        return base.bestGemm(m, n, k, et, candidatesFor);
    }
}
