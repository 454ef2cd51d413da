package dev.lathe.passes.lower.ops;

import dev.lathe.passes.lower.KernelContext;

/**
 * A work-based thread split for compute kernels without a dedicated cost-model generator
 * (direct convolution, pooling, resampling): one task per ~64 K operations, at most four per
 * core (more tasks than cores even out uneven rows), never more than the iterations.
 */
final class WorkSplit {

    /** Operations one task should have at least, so the fork outweighs its cost. */
    static final long MIN_WORK_PER_TASK = 1L << 16;

    private WorkSplit() {}

    static long tasks(KernelContext cx, long iterations, long totalWork) {
        long t = Math.min(Math.min(iterations, totalWork / MIN_WORK_PER_TASK), 4L * cx.machine().cores());
        return cx.machine().cores() < 2 ? 1 : Math.max(1, t);
    }

    /** The least iterations per task giving {@code tasks} tasks. */
    static long grain(long iterations, long tasks) {
        return tasks > 1 ? Math.max(1, (iterations + tasks - 1) / tasks) : Math.max(1, iterations);
    }
}
