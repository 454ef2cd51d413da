package dev.lathe.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times two contenders fairly on a shared, noisy machine: both warm up first, then runs alternate
 * (A, B, A, B, ...) so that background load falls on both alike, and each gets the median of its
 * run times. Runs stop after {@code seconds} of measuring once each has {@code minRuns}, or at
 * {@code maxRuns}.
 */
public final class Timing {

    /** Something to time once. */
    @FunctionalInterface
    public interface Run {
        void run() throws Exception;
    }

    /** The medians, in milliseconds, and how many runs each took. */
    public record Medians(double aMs, double bMs, int runs) {}

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
            ta.add(time(a));
            tb.add(time(b));
        }
        return new Medians(median(ta), median(tb), ta.size());
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
