package dev.lathe.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A STREAM-like read bandwidth for judging GEMV (which is bound by reading B once): sums a 256 MB
 * {@code long[]} in plain Java with four independent accumulators, the array split in contiguous
 * slices across {@code threads} threads; the figure is the median of several passes, in GB/s
 * (10^9 bytes). A read, not STREAM's copy or triad: GEMV only reads its weight, and a copy's
 * write-allocate traffic would count bytes GEMV never moves.
 */
final class StreamRead {

    static final int BYTES = 256 << 20;

    private StreamRead() {}

    /** Median GB/s of {@code passes} passes over the array after one warm-up pass. */
    static double gbPerSecond(int threads, int passes) throws InterruptedException {
        long[] data = new long[BYTES / Long.BYTES];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        List<Double> rates = new ArrayList<>();
        long sink = 0;
        for (int p = 0; p <= passes; p++) {
            long[] sums = new long[threads];
            long t0 = System.nanoTime();
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int task = t;
                int from = (int) ((long) data.length * t / threads);
                int to = (int) ((long) data.length * (t + 1) / threads);
                workers[t] = Thread.ofPlatform().start(() -> sums[task] = sum(data, from, to));
            }
            for (Thread w : workers) {
                w.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (long s : sums) {
                sink += s;
            }
            if (p > 0) {
                rates.add(BYTES / seconds / 1e9);
            }
        }
        if (sink == 42) {
            System.out.print(""); // keeps the sums live
        }
        return Timing.median(rates);
    }

    private static long sum(long[] a, int from, int to) {
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i];
        }
        return s0 + s1 + s2 + s3;
    }
}
