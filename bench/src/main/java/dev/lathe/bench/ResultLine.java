package dev.lathe.bench;

import java.util.Locale;

/**
 * The last line each bench script prints, for people and for scripts that grep it:
 * {@code lathe_ms=<median> ort_ms=<median> ratio=<lathe/ort>} (below 1: Lathe is faster) and
 * {@code lathe_gflops=<x> openblas_gflops=<y> ratio=<x/y>} (above 1: Lathe is faster).
 */
public final class ResultLine {

    private ResultLine() {}

    public static String compare(double latheMs, double ortMs) {
        return String.format(Locale.ROOT, "lathe_ms=%.3f ort_ms=%.3f ratio=%.3f", latheMs, ortMs, latheMs / ortMs);
    }

    /** {@code --O0}: {@code lathe_ms=<default pipeline> lathe_O0_ms=<-O0> ratio=<default/-O0>} (below 1: the pipeline pays). */
    public static String optimization(double latheMs, double o0Ms) {
        return String.format(Locale.ROOT, "lathe_ms=%.3f lathe_O0_ms=%.3f ratio=%.3f", latheMs, o0Ms, latheMs / o0Ms);
    }

    /** {@code --tune}: {@code lathe_ms=<tuned> lathe_untuned_ms=<untuned> ratio=<tuned/untuned>} (below 1: tuning pays). */
    public static String tuning(double tunedMs, double untunedMs) {
        return String.format(Locale.ROOT, "lathe_ms=%.3f lathe_untuned_ms=%.3f ratio=%.3f", tunedMs, untunedMs,
                tunedMs / untunedMs);
    }

    public static String gemm(double latheGflops, double openblasGflops) {
        return String.format(Locale.ROOT, "lathe_gflops=%.2f openblas_gflops=%.2f ratio=%.3f", latheGflops,
                openblasGflops, latheGflops / openblasGflops);
    }

    /** GFLOP/s of an M x K by K x N product (2 M N K flops) that took {@code ms}. */
    public static double gflops(long m, long n, long k, double ms) {
        return 2.0 * m * n * k / (ms * 1e6);
    }
}
