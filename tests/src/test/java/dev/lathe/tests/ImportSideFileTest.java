package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.IRParser;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe import -o model.lir} on all-MiniLM-L6-v2: the weights go to {@code model.weights},
 * the text stays small, and the re-parsed IR computes exactly what the directly imported model does.
 */
class ImportSideFileTest {

    @Test
    void importedTextWithSideFileRunsLikeTheModel(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("minilm.onnx");
        try (InputStream in = ImportSideFileTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertNotNull(in, "all-minilm-l6-v2.onnx is not on the test class path");
            Files.copy(in, onnx);
        }
        Path lir = dir.resolve("minilm.lir");
        CliTest.Run r = CliTest.lathe("import", onnx.toString(), "-o", lir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.size(lir) < 1_000_000, "the text keeps only small blobs: " + Files.size(lir) + " bytes");
        assertTrue(Files.size(dir.resolve("minilm.weights")) > 80_000_000, "the side file holds the weights");

        TensorType t = TensorType.of(ScalarType.I64, 1, 4);
        Map<String, DenseElementsAttr> inputs = Map.of(
                "input_ids", DenseElementsAttr.fromLongs(t, 101, 7592, 2088, 102),
                "attention_mask", DenseElementsAttr.fromLongs(t, 1),
                "token_type_ids", DenseElementsAttr.fromLongs(t, 0));
        DenseElementsAttr direct = new Interpreter(OnnxImporter.importModel(onnx)).run("main", inputs)
                .get("last_hidden_state");
        DenseElementsAttr viaText = new Interpreter(IRParser.parse(Files.readString(lir), lir.toString()))
                .run("main", inputs).get("last_hidden_state");
        assertEquals(direct, viaText);
    }
}
