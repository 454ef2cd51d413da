package dev.lathe.bench;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;

/**
 * {@code bench/gemm M N K [--threads N]}: f32 {@code [M, K] x [K, N]} through Lathe's JIT (an
 * {@code nn.matmul} with B a constant weight, {@link LatheGemm}) against OpenBLAS's
 * {@code cblas_sgemm} on the same numbers and thread count; checks the products agree, times both
 * alternating in blocks (medians) and ends with {@link ResultLine#gemm}. With {@code M = 1} (GEMV,
 * bound by reading B) it first prints {@code gemv_gbs=<x> stream_gbs=<y> fraction=<x/y>}: Lathe's
 * bytes moved ({@code 4 (KN + K + N)}) per second against {@link StreamRead}'s read bandwidth on as
 * many threads, the two timed alternating in blocks. Prints which core type OpenBLAS
 * chose and its thread count: with {@code OPENBLAS_CORETYPE=Haswell} (set on these machines)
 * OpenBLAS is held to AVX2, so bench/gemm unsets it and {@code OPENBLAS_L2_SIZE}.
 *
 * <p>Agreement bound {@code |lathe - openblas| <= 1e-5 K + 1e-4 |openblas|}: entries of A and B
 * are uniform in [-1, 1), so a dot product of length K has magnitude about sqrt(K/9) and two f32
 * summation orders differ by a few ulps of its partial sums (about 1e-5 at K = 1024); a wrong
 * index or a dropped tile moves an entry by about 1.
 */
public final class GemmMain {

    static final List<String> OPTIONS = List.of("threads", "seconds", "warmup");

    static final String USAGE = """
            usage: bench/gemm M N K [--threads N] [--seconds T] [--warmup T]
              --threads  threads for Lathe's parallel loops and for OpenBLAS (default 1)
              --seconds  time spent measuring after warm-up (default 3); --warmup per side (default 1)""";

    private GemmMain() {}

    public static void main(String[] argv) throws Exception {
        Args args;
        int m;
        int n;
        int k;
        try {
            args = new Args(argv, OPTIONS);
            if (args.positional.size() != 3) {
                throw new IllegalArgumentException("give M N K");
            }
            m = Integer.parseInt(args.positional.get(0));
            n = Integer.parseInt(args.positional.get(1));
            k = Integer.parseInt(args.positional.get(2));
        } catch (IllegalArgumentException e) {
            System.err.println("bench/gemm: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        int threads = args.getInt("threads", 1);
        Timing timing = new Timing(args.getDouble("warmup", 1), args.getDouble("seconds", 3), 5, 100_000);

        for (String var : List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")) {
            String v = System.getenv(var);
            System.out.println(var + (v == null ? " unset" : "=" + v + " (set: OpenBLAS may not use its best kernels)"));
        }
        OpenBlas.setThreads(threads);
        System.out.printf("openblas: core %s, %d threads (%s)%n", OpenBlas.coreName(), OpenBlas.threads(), OpenBlas.config().trim());
        System.out.printf("sgemm M=%d N=%d K=%d, threads %d, cores %d%n", m, n, k, threads,
                Runtime.getRuntime().availableProcessors());

        Random random = new Random(m * 31L + n * 17L + k);
        float[] a = uniform(random, (long) m * k);
        float[] b = uniform(random, (long) k * n);
        DenseElementsAttr aAttr = attr(a, m, k);
        DenseElementsAttr bAttr = attr(b, k, n);

        try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b);
                FloatPointer pc = new FloatPointer((long) m * n);
                LatheEngine lathe = new LatheEngine(LatheGemm.module(m, n, k, bAttr), Map.of("a", aAttr), threads).reusingOutputs()) {
            System.out.printf(Locale.ROOT, "lathe compile: %.0f ms%n", lathe.compileMs());
            OpenBlas.sgemm(m, n, k, pa, pb, pc);
            float[] c = new float[m * n];
            pc.get(c);
            Agreement tolerance = new Agreement(1e-5 * k, 1e-4);
            Agreement.Result agreement = tolerance.compare(Map.of("c", attr(c, m, n)), lathe.outputs());
            System.out.println(agreement.summary(tolerance, "openblas"));
            agreement.problems().forEach(p -> System.out.println("  " + p));

            Timing.Medians t = timing.measure(lathe::run, () -> OpenBlas.sgemm(m, n, k, pa, pb, pc));
            System.out.printf(Locale.ROOT, "timed %d runs each, alternating in blocks (medians): lathe %.3f ms, openblas %.3f ms%n",
                    t.runs(), t.aMs(), t.bMs());
            if (m == 1) {
                // GEMV reads B once: judge it against a read bandwidth on the same threads, the two
                // timed alternating in blocks like the engines above, so both see the same load.
                Timing.Medians g;
                OpenBlas.setThreads(1);
                // One timed GEMV side runs the GEMV `reps` times, about a stream pass's bytes, and at
                // most 200 of each are timed: Timing gives B's blocks as many runs as A's just took.
                double bytes = 4.0 * ((double) k * n + k + n);
                int reps = (int) Math.max(1, Math.min(1000, Math.ceil(StreamRead.BYTES / bytes)));
                Timing paired = new Timing(0.5, args.getDouble("seconds", 3), 3, 200);
                try (StreamRead stream = new StreamRead(threads)) {
                    g = paired.measure(() -> {
                        for (int r = 0; r < reps; r++) {
                            lathe.run();
                        }
                    }, stream::pass);
                } finally {
                    OpenBlas.setThreads(threads);
                }
                double gemvGbs = bytes * reps / (g.aMs() * 1e6);
                double streamGbs = StreamRead.gbPerSecond(g.bMs());
                System.out.printf(Locale.ROOT, "gemv_gbs=%.2f stream_gbs=%.2f fraction=%.3f%n", gemvGbs, streamGbs,
                        gemvGbs / streamGbs);
            }
            System.out.println(ResultLine.gemm(ResultLine.gflops(m, n, k, t.aMs()), ResultLine.gflops(m, n, k, t.bMs())));
            if (!agreement.agrees()) {
                System.exit(1);
            }
        }
    }

    private static float[] uniform(Random random, long count) {
        float[] v = new float[Math.toIntExact(count)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static DenseElementsAttr attr(float[] values, int rows, int cols) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, rows, cols), d);
    }
}
