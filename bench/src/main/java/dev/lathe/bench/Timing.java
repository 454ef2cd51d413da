package dev.lathe.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times two contenders fairly on a shared, noisy machine: both warm up first, then they alternate
 * in short blocks (A for {@link #BLOCK_SECONDS}, B, A, ...) so that background load falls on both
 * alike, and each gets the median of its run times. Runs stop after {@code seconds} of measuring
 * once each has {@code minRuns}, or at {@code maxRuns}.
 *
 * <p>Blocks rather than single runs, with a pause before each: OpenBLAS's and ONNX Runtime's
 * worker threads spin for a while after a call (OpenBLAS about 0.1 s), so a run that directly
 * follows the other side's shares the cores with its spinners. Alternating run by run measured
 * Lathe's 2-thread GEMM at 71 GFLOP/s instead of 178 on 2 cores, and slowed OpenBLAS too.
 */
public final class Timing {

    /** Something to time once. */
    @FunctionalInterface
    public interface Run {
        void run() throws Exception;
    }

    /** The medians, in milliseconds, and how many runs each took. */
    public record Medians(double aMs, double bMs, int runs) {}

    /** Time one side runs before the other takes over. */
    static final double BLOCK_SECONDS = 0.25;
    /** Idle time before each block: longer than OpenBLAS's default spin of 2^28 cycles. */
    static final long SETTLE_MILLIS = 150;

    private final double warmupSeconds;
    private final double seconds;
    private final int minRuns;
    private final int maxRuns;

    public Timing(double warmupSeconds, double seconds, int minRuns, int maxRuns) {
        this.warmupSeconds = warmupSeconds;
        this.seconds = seconds;
        this.minRuns = minRuns;
        this.maxRuns = maxRuns;
    }

    public Medians measure(Run a, Run b) throws Exception {
        warmUp(a);
        warmUp(b);
        List<Double> ta = new ArrayList<>();
        List<Double> tb = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (ta.size() < maxRuns && (ta.size() < minRuns || System.nanoTime() < end)) {
            int before = ta.size();
            block(a, ta, -1);
            block(b, tb, ta.size() - before);
        }
        return new Medians(median(ta), median(tb), ta.size());
    }

    /**
     * After a pause, runs {@code r} {@code count} times, or (count {@code -1}) until the block's
     * time is spent: at least once, at most up to {@code maxRuns} in all. B's blocks take as many
     * runs as A's just did, so both sides end with the same count.
     */
    private void block(Run r, List<Double> times, int count) throws Exception {
        Thread.sleep(SETTLE_MILLIS);
        long end = System.nanoTime() + (long) (BLOCK_SECONDS * 1e9);
        int room = maxRuns - times.size();
        int limit = count < 0 ? room : Math.min(count, room);
        for (int i = 0; i < limit && (count >= 0 || i == 0 || System.nanoTime() < end); i++) {
            times.add(time(r));
        }
    }

    /** At least two runs (first touches, lazy initialization), then until the warm-up time is spent. */
    private void warmUp(Run r) throws Exception {
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < 2 || System.nanoTime() < end; i++) {
            r.run();
        }
    }

    private static double time(Run r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    public static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
