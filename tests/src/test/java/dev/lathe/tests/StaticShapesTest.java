package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.transforms.InputShapes;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * all-MiniLM-L6-v2 builds its Reshape targets from Shape/Gather/Unsqueeze/Concat chains. With
 * the input shapes fixed, {@code simplify-shapes} must see through all of them: every type
 * static, no shape arithmetic left, and the same numbers as the dynamic model.
 */
class StaticShapesTest {

    @Test
    void fixedInputShapesMakeMiniLmFullyStatic() throws Exception {
        byte[] model;
        try (InputStream in = StaticShapesTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "all-minilm-l6-v2.onnx is not on the test class path");
            model = in.readAllBytes();
        }
        Module dynamic = OnnxImporter.importModel(model, "all-minilm-l6-v2.onnx", Path.of("."));
        Module fixed = OnnxImporter.importModel(model, "all-minilm-l6-v2.onnx", Path.of("."));
        long[] shape = {1, 16};
        InputShapes.specialize(fixed, "main", Map.of("input_ids", shape, "attention_mask", shape, "token_type_ids", shape));
        PassManager.parse("simplify-shapes,cse,dce").run(fixed);

        List<String> dynamicOps = new ArrayList<>();
        fixed.walk(op -> {
            for (Type t : op.resultTypes()) {
                if (t instanceof TensorType tt && !tt.hasStaticShape()) {
                    dynamicOps.add(op.name() + " at " + op.location() + ": " + tt.text());
                }
            }
            if (op.isA("nn.shape") || op.isA("nn.concat")) {
                dynamicOps.add(op.name() + " at " + op.location() + " is left");
            }
        });
        assertEquals(List.of(), dynamicOps);

        TensorType t = TensorType.of(ScalarType.I64, shape);
        long[] ids = new long[16];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i == 0 ? 101 : i == 15 ? 102 : 2000 + 37 * i;
        }
        Map<String, DenseElementsAttr> inputs = Map.of("input_ids", DenseElementsAttr.fromLongs(t, ids),
                "attention_mask", DenseElementsAttr.fromLongs(t, 1), "token_type_ids", DenseElementsAttr.fromLongs(t, 0));
        DenseElementsAttr expected = new Interpreter(dynamic).run("main", inputs).get("last_hidden_state");
        DenseElementsAttr actual = new Interpreter(fixed).run("main", inputs).get("last_hidden_state");
        assertTrue(actual.type().hasStaticShape());
        assertEquals(expected, actual, "only shape arithmetic was folded, so the numbers are identical");
    }
}
