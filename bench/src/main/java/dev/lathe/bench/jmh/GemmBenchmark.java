package dev.lathe.bench.jmh;

import dev.lathe.bench.LatheEngine;
import dev.lathe.bench.LatheGemm;
import dev.lathe.bench.OpenBlas;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * sgemm {@code [m, k] x [k, n]}, B a constant weight: Lathe's JIT ({@link LatheGemm}) against
 * OpenBLAS's {@code cblas_sgemm}, average time per product (GFLOP/s = 2 m n k / time). Run with
 * {@code bench/jmh GemmBenchmark}, which unsets {@code OPENBLAS_CORETYPE} so OpenBLAS uses its
 * AVX-512 kernels; bench/gemm is the quick one-shot comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GemmBenchmark {

    @Param({"1024"})
    public int m;

    @Param({"1024"})
    public int n;

    @Param({"1024"})
    public int k;

    @Param({"1", "2"})
    public int threads;

    private LatheEngine lathe;
    private FloatPointer a;
    private FloatPointer b;
    private FloatPointer c;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(1);
        double[] av = new double[m * k];
        double[] bv = new double[k * n];
        float[] af = new float[av.length];
        float[] bf = new float[bv.length];
        for (int i = 0; i < av.length; i++) {
            af[i] = (float) (random.nextDouble() * 2 - 1);
            av[i] = af[i];
        }
        for (int i = 0; i < bv.length; i++) {
            bf[i] = (float) (random.nextDouble() * 2 - 1);
            bv[i] = bf[i];
        }
        DenseElementsAttr aAttr = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, m, k), av);
        DenseElementsAttr bAttr = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, k, n), bv);
        lathe = new LatheEngine(LatheGemm.module(m, n, k, bAttr), Map.of("a", aAttr), threads).reusingOutputs();
        OpenBlas.setThreads(threads);
        a = new FloatPointer(af);
        b = new FloatPointer(bf);
        c = new FloatPointer((long) m * n);
    }

    @Benchmark
    public void lathe() {
        lathe.run();
    }

    @Benchmark
    public void openblas() {
        OpenBlas.sgemm(m, n, k, a, b, c);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        lathe.close();
        a.close();
        b.close();
        c.close();
    }
}
