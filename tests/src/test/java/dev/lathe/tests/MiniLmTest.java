package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * all-MiniLM-L6-v2 (fp32), imported and run by the reference interpreter, against ONNX Runtime on
 * the same token ids. Tolerance: the interpreter rounds each op's result to f32 from a double
 * computation while ORT accumulates in f32 in its own order; through six encoder layers with
 * LayerNorm the hidden states (magnitude about 1) differ by a few 1e-6 to 1e-5, so
 * |lathe - ort| <= 1e-4 + 1e-3 |ort| catches a wrong op while allowing that rounding.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MiniLmTest {

    static final double RTOL = 1e-3;
    static final double ATOL = 1e-4;

    byte[] model;
    Interpreter interpreter;
    OrtPeer ort;

    @BeforeAll
    void load() throws Exception {
        try (InputStream in = MiniLmTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "all-minilm-l6-v2.onnx is not on the test class path (Maven dependency)");
            model = in.readAllBytes();
        }
        Module module = OnnxImporter.importModel(model, "all-minilm-l6-v2.onnx", Path.of("."));
        interpreter = new Interpreter(module);
        ort = new OrtPeer(model);
    }

    @ParameterizedTest(name = "sequence length {0}")
    @ValueSource(ints = {8, 128})
    void matchesOnnxRuntime(int seq) throws Exception {
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
        List<DenseElementsAttr> expected = ort.run(inputs);
        Map<String, DenseElementsAttr> actual = interpreter.run("main", inputs);
        DenseElementsAttr hidden = actual.get("last_hidden_state");
        assertNotNull(hidden, "outputs: " + actual.keySet());
        assertEquals(expected.get(0).type(), hidden.type());
        double worst = 0;
        for (long i = 0; i < hidden.numElements(); i++) {
            double e = expected.get(0).getDouble(i);
            double err = Math.abs(hidden.getDouble(i) - e);
            worst = Math.max(worst, err);
            assertTrue(err <= ATOL + RTOL * Math.abs(e), "element " + i + ": lathe " + hidden.getDouble(i) + ", ort " + e);
        }
        System.out.println("MiniLM seq " + seq + ": max |lathe - ort| = " + worst);
    }
}
