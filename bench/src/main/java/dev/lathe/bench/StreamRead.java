package dev.lathe.bench;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * A STREAM-like read bandwidth for judging GEMV (which is bound by reading B once): one pass sums
 * the absolute values of a 256 MB f32 array with OpenBLAS's {@code cblas_sasum} (a vectorized
 * native loop; plain Java loops read measurably slower than memory allows), the array split in
 * contiguous slices across {@code threads} Java threads, one {@code sasum} each (OpenBLAS must run
 * on 1 thread meanwhile). A read, not STREAM's copy or triad: GEMV only reads its weight, and a
 * copy's write-allocate traffic would count bytes GEMV never moves. {@link GemmMain} times passes
 * alternating with the GEMV ({@link Timing}), so both see the same background load; GB/s are
 * 10^9 bytes per second.
 */
final class StreamRead implements AutoCloseable {

    static final long BYTES = 256L << 20;

    private final FloatPointer data;
    private final int threads;
    private double sink;

    StreamRead(int threads) {
        this.threads = threads;
        long n = BYTES / Float.BYTES;
        data = new FloatPointer(n);
        for (long i = 0; i < n; i++) {
            data.put(i, (float) (i & 7));
        }
    }

    /** One pass over the array. */
    void pass() throws InterruptedException {
        long n = BYTES / Float.BYTES;
        double[] sums = new double[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int task = t;
            long from = n * t / threads;
            long to = n * (t + 1) / threads;
            workers[t] = Thread.ofPlatform().start(() -> sums[task] = openblas_nolapack.cblas_sasum((int) (to - from),
                    new FloatPointer(data).position(from), 1));
        }
        for (Thread w : workers) {
            w.join();
        }
        for (double s : sums) {
            sink += s; // a field write: the sums stay live
        }
    }

    /** GB/s of a pass that took {@code ms}. */
    static double gbPerSecond(double ms) {
        return BYTES / (ms * 1e6);
    }

    @Override
    public void close() {
        data.close();
    }
}
