package dev.lathe.passes.lower.ops;

import dev.lathe.costmodel.KernelFeatures;
import dev.lathe.costmodel.Schedule;
import dev.lathe.costmodel.Schedules;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;

/**
 * The thread split of data-movement kernels: as many tasks as the cost model picks for an
 * elementwise kernel moving the same elements, and the grain that gives that many.
 */
final class Parallelism {

    private Parallelism() {}

    /** Tasks the cost model wants for {@code numElements} elements read from {@code inputs} operands. */
    static long tasks(KernelContext cx, long numElements, ScalarType et, int inputs) {
        if (numElements <= 0) {
            return 1;
        }
        KernelFeatures f = KernelFeatures.elementwise("copy", numElements, inputs, 1, 1, et);
        Schedule s = cx.costModel().best(f, Schedules.elementwise(numElements, et, cx.machine()));
        return s.parallelLoop() < 0 ? 1 : s.tasks();
    }

    /** The least iterations per task giving {@code tasks} tasks ({@code iterations} itself when sequential). */
    static long grain(long iterations, long tasks) {
        return tasks > 1 ? Math.max(1, (iterations + tasks - 1) / tasks) : Math.max(1, iterations);
    }
}
