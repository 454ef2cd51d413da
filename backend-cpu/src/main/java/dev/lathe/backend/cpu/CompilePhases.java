package dev.lathe.backend.cpu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Wall and process CPU time of each phase of one compilation (specialize, graph passes,
 * lowering, LLVM translation, O3, machine code, JIT link), for {@code bench/compile-time}.
 * Recording is per thread and off unless {@link #record} is on the stack; then each phase costs
 * two clock reads. Process CPU time (all threads: the JVM's own JIT and GC, LLVM workers) is the
 * figure that holds on a loaded machine.
 */
public final class CompilePhases {

    /** One phase: its name, wall nanoseconds, and process CPU nanoseconds spent while it ran. */
    public record Phase(String name, long wallNanos, long cpuNanos) {}

    private static final ThreadLocal<List<Phase>> SINK = new ThreadLocal<>();

    private CompilePhases() {}

    /** Runs {@code work} and returns the phases timed inside it (in order; a name may repeat). */
    public static List<Phase> record(Runnable work) {
        List<Phase> previous = SINK.get();
        List<Phase> phases = new ArrayList<>();
        SINK.set(phases);
        try {
            work.run();
        } finally {
            SINK.set(previous);
        }
        return phases;
    }

    /** Runs {@code work} as the phase {@code name}, timed only while {@link #record} is active. */
    public static <T> T time(String name, Supplier<T> work) {
        List<Phase> sink = SINK.get();
        if (sink == null) {
            return work.get();
        }
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            sink.add(new Phase(name, System.nanoTime() - wall0, processCpuNanos() - cpu0));
        }
    }

    public static void time(String name, Runnable work) {
        time(name, () -> {
            work.run();
            return null;
        });
    }

    /** CPU time of this process so far (all threads), in nanoseconds. */
    public static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
