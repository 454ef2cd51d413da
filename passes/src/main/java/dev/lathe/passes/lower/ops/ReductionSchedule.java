package dev.lathe.passes.lower.ops;

import dev.lathe.costmodel.KernelFeatures;
import dev.lathe.costmodel.Schedule;
import dev.lathe.costmodel.Schedules;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;

/**
 * How the reduction family splits its outer (independent) loop across threads: the cost model
 * ranks the row-reduction nest {@code [iterations, work]} sequential or split across tasks, and
 * the chosen task count becomes a {@code loop.parallel} grain.
 */
final class ReductionSchedule {

    private ReductionSchedule() {}

    /** The least iterations per task for {@code iterations} independent iterations of {@code work} element-ops each. */
    static long grain(KernelContext cx, long iterations, long work, ScalarType et) {
        if (iterations <= 1) {
            return 1;
        }
        KernelFeatures f = KernelFeatures.rowReduction("reduction", iterations, Math.max(1, work), 1, et);
        Schedule s = cx.costModel().best(f, Schedules.forKernel(f, cx.machine()));
        long tasks = s.isParallel() ? s.tasks() : 1;
        return tasks > 1 ? (iterations + tasks - 1) / tasks : iterations;
    }
}
