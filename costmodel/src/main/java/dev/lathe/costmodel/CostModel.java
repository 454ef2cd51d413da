package dev.lathe.costmodel;

import dev.lathe.ir.type.ScalarType;
import java.util.List;

/**
 * Predicts how long a kernel takes under a schedule, and from that ranks schedules and decides
 * fusion. Implementations are the analytical roofline model ({@link AnalyticalCostModel}) and, later,
 * a model learned from measurements; both answer the same questions, so callers never know which.
 *
 * <p>Only {@link #machine()} and {@link #estimateSeconds(KernelFeatures, Schedule, MachineModel)} are
 * abstract. Estimates are compared, not trusted as wall-clock truth: what matters is their order.
 */
public interface CostModel {

    /** The machine this model ranks for (used by the methods that take no machine). */
    MachineModel machine();

    /**
     * Predicted seconds for one call of {@code kernel} run with {@code schedule} on {@code machine}.
     *
     * @throws IllegalArgumentException when the schedule does not fit the kernel ({@link Schedule#checkFits})
     */
    double estimateSeconds(KernelFeatures kernel, Schedule schedule, MachineModel machine);

    default double estimateSeconds(KernelFeatures kernel, Schedule schedule) {
        return estimateSeconds(kernel, schedule, machine());
    }

    /** The candidate with the smallest estimate; the earliest one on ties. */
    default Schedule best(KernelFeatures kernel, List<Schedule> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidate schedules for kernel " + kernel.name());
        }
        Schedule best = null;
        double bestSeconds = Double.POSITIVE_INFINITY;
        for (Schedule s : candidates) {
            double t = estimateSeconds(kernel, s);
            if (best == null || t < bestSeconds) {
                best = s;
                bestSeconds = t;
            }
        }
        return best;
    }

    /**
     * The best of {@link Schedules#gemm}'s candidates (made for {@code candidatesFor}) for
     * {@code C[m,n] = A[m,k] B[k,n]} in {@code et}, the kernel {@link KernelFeatures#gemm} describes.
     * A model whose estimates depend only on its arguments may remember the answer per shape.
     */
    default Schedule bestGemm(long m, long n, long k, ScalarType et, MachineModel candidatesFor) {
        return best(KernelFeatures.gemm("matmul", m, n, k, et), Schedules.gemm(m, n, k, et, candidatesFor));
    }

    /**
     * Every one of {@link Schedules#gemm}'s candidates for the problem {@link #bestGemm} answers, best
     * first (ties keep the generator's order, so the first is {@code bestGemm}'s answer for a model that
     * does not override it). A measured search ({@code --tune N}, docs/costmodel.md) times the head of
     * this list.
     */
    default List<Schedule> rankedGemm(long m, long n, long k, ScalarType et, MachineModel candidatesFor) {
        KernelFeatures kernel = KernelFeatures.gemm("matmul", m, n, k, et);
        List<Schedule> candidates = Schedules.gemm(m, n, k, et, candidatesFor);
        double[] seconds = new double[candidates.size()];
        Integer[] order = new Integer[candidates.size()];
        for (int i = 0; i < order.length; i++) {
            seconds[i] = estimateSeconds(kernel, candidates.get(i));
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> seconds[i])); // stable
        List<Schedule> out = new java.util.ArrayList<>(order.length);
        for (int i : order) {
            out.add(candidates.get(i));
        }
        return List.copyOf(out);
    }

    /** The estimate of {@code kernel} under its best generic schedule ({@link Schedules#forKernel}). */
    default double bestSeconds(KernelFeatures kernel) {
        return estimateSeconds(kernel, best(kernel, Schedules.forKernel(kernel, machine())));
    }

    /**
     * Whether running {@code fused} (one kernel computing what {@code producer} then {@code consumer}
     * computed, recomputing the producer where the fused nest needs it) is no slower than running the
     * two separately, each with its best schedule.
     */
    default boolean shouldFuse(KernelFeatures producer, KernelFeatures consumer, KernelFeatures fused) {
        return bestSeconds(fused) <= bestSeconds(producer) + bestSeconds(consumer);
    }
}
