package dev.lathe.bench.jmh;

import dev.lathe.bench.InputGenerator;
import dev.lathe.bench.LatheEngine;
import dev.lathe.bench.ModelSource;
import dev.lathe.bench.OrtEngine;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Whole models, Lathe's JIT against ONNX Runtime with the same thread count, on the inputs
 * bench/compare generates ({@link InputGenerator}, the model presets of {@link ModelSource}):
 * {@code model} is {@code minilm} (with {@code seq} tokens), {@code ppocr} or {@code silero}
 * ({@code seq} is ignored for those two: their presets fix the sizes). Run with
 * {@code bench/jmh ModelBenchmark}; it does not check agreement (bench/compare does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ModelBenchmark {

    @Param({"minilm", "ppocr", "silero"})
    public String model;

    @Param({"128"})
    public int seq;

    @Param({"1", "2"})
    public int threads;

    private LatheEngine lathe;
    private OrtEngine ort;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ModelSource source = ModelSource.resolve(model);
        ort = new OrtEngine(source.bytes(), threads);
        Map<String, DenseElementsAttr> inputs =
                new InputGenerator(1, seq, source.dims(), source.values(), 5).generate(ort.inputSpecs());
        ort.setInputs(inputs);
        lathe = new LatheEngine(OnnxImporter.importModel(source.bytes(), source.name(), source.baseDir()), inputs, threads);
    }

    @Benchmark
    public void lathe() {
        lathe.run();
    }

    @Benchmark
    public void ort() throws Exception {
        ort.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        lathe.close();
        ort.close();
    }
}
