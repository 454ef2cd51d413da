package dev.lathe.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * Summary of a set of request latencies (milliseconds): count, min, mean, max and percentiles by
 * the nearest-rank method (the p-th percentile is the smallest value with at least p% of the
 * values at or below it, so it is always one of the measured values: p50 of 1..200 is 100, p99
 * is 198). With fewer than 100 values p99 is the maximum; the load test asks for 200 or more.
 */
public final class LatencyStats {

    private final double[] sorted;

    public LatencyStats(Collection<Double> millis) {
        this.sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    public LatencyStats(double... millis) {
        this.sorted = millis.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    /** The nearest-rank {@code p}-th percentile, {@code 0 < p <= 100}; NaN when there are no values. */
    public double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], got " + p);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // ceil(p/100 * n) is the rank; the small epsilon keeps 0.99 * 200 = 198.00000000000003 at 198.
        int rank = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9);
        return sorted[Math.clamp(rank, 1, sorted.length) - 1];
    }

    public double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    public double mean() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).sum() / sorted.length;
    }

    /** {@code p50 12.3  p99 45.6  mean 14.0  min 9.1  max 50.2} (milliseconds). */
    public String describe() {
        return String.format(Locale.ROOT, "p50 %.1f  p99 %.1f  mean %.1f  min %.1f  max %.1f", percentile(50),
                percentile(99), mean(), min(), max());
    }
}
