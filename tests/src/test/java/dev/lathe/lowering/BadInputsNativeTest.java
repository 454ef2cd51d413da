package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.ModelAssertionException;
import dev.lathe.frontend.IRParser;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad data reaching native code fails the call with the interpreter's message and leaves the
 * process and the compiled model usable: indices out of range are asserted (and clamped, so no
 * access leaves its buffer), and a malformed model file is rejected before any code is generated.
 */
class BadInputsNativeTest {

    private static final String GATHER = """
            func.func @f(%t: tensor<3x4xf32>, %i: tensor<2xi64>) -> tensor<2x4xf32> {
              %0 = "nn.gather"(%t, %i) {axis = 0} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
              func.return %0 : tensor<2x4xf32>
            }
            """;

    @Test
    void anIndexOutOfRangeFailsTheCallNotTheProcess() {
        DenseElementsAttr table = NativeCheck.random(TensorType.of(ScalarType.F32, 3, 4), -1, 1, 3);
        TensorType indices = TensorType.of(ScalarType.I64, 2);
        DenseElementsAttr good = DenseElementsAttr.fromLongs(indices, new long[] {2, -1});
        DenseElementsAttr bad = DenseElementsAttr.fromLongs(indices, new long[] {1, 1_000_000_007L});
        try (CompiledCpuModel model = CpuBackend.compile(IRParser.parse(GATHER, "gather.lir"), List.of(table, good),
                CpuBackend.Options.defaults().withThreads(2))) {
            ModelAssertionException e = assertThrows(ModelAssertionException.class, () -> model.run(List.of(table, bad)));
            assertTrue(e.getMessage().contains("'nn.gather'") && e.getMessage().contains("out of range"), e.getMessage());
            // The failed call left nothing behind: the same model still answers correctly.
            for (int call = 0; call < 3; call++) {
                DenseElementsAttr out = model.run(List.of(table, good)).get(0);
                assertEquals(table.getDouble(8), out.getDouble(0)); // row 2
                assertEquals(table.getDouble(8), out.getDouble(4)); // row -1 = row 2
            }
        }
    }

    @Test
    void aTruncatedModelFileIsAnErrorNamingTheFile(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("cut.onnx");
        byte[] whole = Files.readAllBytes(Path.of("/usr/share/libonnx-testdata/data/node/test_gather_0/model.onnx"));
        Files.write(model, java.util.Arrays.copyOf(whole, whole.length / 2));
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> OnnxImporter.importModel(model));
        assertTrue(e.getMessage().contains("cut.onnx"), e.getMessage());
    }
}
