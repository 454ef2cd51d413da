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
import dev.lathe.passes.PassManager;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * On all-MiniLM-L6-v2, {@code recognize-layer-norm}, {@code recognize-gelu} and
 * {@code recognize-attention} find every decomposed LayerNorm (13), Erf-GELU (6) and attention
 * core (6), leave no Erf, Pow, ReduceMean or Softmax behind, and the
 * model still computes the same hidden states. Tolerance 1e-5 + 1e-4 |x|: the fused ops compute
 * in double and round once, the decomposed graph rounds after every op.
 */
class RecognizeOnMiniLmTest {

    @Test
    void everyLayerNormAndGeluIsRecognizedAndNumbersHold() throws Exception {
        byte[] model;
        try (InputStream in = RecognizeOnMiniLmTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "all-minilm-l6-v2.onnx is not on the test class path");
            model = in.readAllBytes();
        }
        Module original = OnnxImporter.importModel(model, "all-minilm-l6-v2.onnx", Path.of("."));
        Module fused = original.copy();
        PassManager.parse("recognize-layer-norm,recognize-gelu,recognize-attention,dce").run(fused);
        Map<String, AtomicInteger> counts = new java.util.TreeMap<>();
        fused.walk(op -> counts.computeIfAbsent(op.name(), k -> new AtomicInteger()).incrementAndGet());
        assertEquals(13, counts.get("nn.layer_normalization").get(), counts.toString());
        assertEquals(6, counts.get("nn.gelu").get(), counts.toString());
        assertEquals(6, counts.get("nn.attention").get(), counts.toString());
        for (String gone : new String[] {"nn.erf", "nn.pow", "nn.reduce_mean", "nn.sqrt", "nn.softmax"}) {
            assertTrue(!counts.containsKey(gone), gone + " is left: " + counts);
        }

        TensorType t = TensorType.of(ScalarType.I64, 1, 8);
        Map<String, DenseElementsAttr> inputs = Map.of(
                "input_ids", DenseElementsAttr.fromLongs(t, 101, 2023, 2003, 1037, 3231, 6251, 1012, 102),
                "attention_mask", DenseElementsAttr.fromLongs(t, 1),
                "token_type_ids", DenseElementsAttr.fromLongs(t, 0));
        DenseElementsAttr expected = new Interpreter(original).run("main", inputs).get("last_hidden_state");
        DenseElementsAttr actual = new Interpreter(fused).run("main", inputs).get("last_hidden_state");
        assertEquals(expected.type(), actual.type());
        for (long i = 0; i < expected.numElements(); i++) {
            double e = expected.getDouble(i);
            assertTrue(Math.abs(actual.getDouble(i) - e) <= 1e-5 + 1e-4 * Math.abs(e),
                    "element " + i + ": fused " + actual.getDouble(i) + ", decomposed " + e);
        }
    }
}
