package dev.lathe.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Verifier;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * ONNX's own test models for the ops Lathe converts import into modules that verify, print and
 * parse back, and whose signature matches the test's input and output files.
 */
class NodeTestImportTest {

    static final List<String> SUPPORTED = List.of(
            "test_add", "test_add_bcast", "test_add_uint8", "test_sub", "test_sub_bcast", "test_sub_example",
            "test_mul", "test_mul_bcast", "test_mul_example", "test_div", "test_div_bcast", "test_div_example",
            "test_relu", "test_identity", "test_constant",
            "test_matmul_2d", "test_matmul_3d", "test_matmul_4d",
            "test_transpose_default", "test_transpose_all_permutations_0", "test_transpose_all_permutations_1",
            "test_transpose_all_permutations_2", "test_transpose_all_permutations_3",
            "test_transpose_all_permutations_4", "test_transpose_all_permutations_5",
            "test_reshape_extended_dims", "test_reshape_negative_dim", "test_reshape_negative_extended_dims",
            "test_reshape_one_dim", "test_reshape_reduced_dims", "test_reshape_reordered_all_dims",
            "test_reshape_reordered_last_dims", "test_reshape_zero_and_negative_dim", "test_reshape_zero_dim",
            "test_reshape_allowzero_reordered",
            "test_reduce_sum_default_axes_keepdims_example", "test_reduce_sum_default_axes_keepdims_random",
            "test_reduce_sum_do_not_keepdims_example", "test_reduce_sum_do_not_keepdims_random",
            "test_reduce_sum_empty_axes_input_noop_example", "test_reduce_sum_empty_axes_input_noop_random",
            "test_reduce_sum_keepdims_example", "test_reduce_sum_keepdims_random",
            "test_reduce_sum_negative_axes_keepdims_example", "test_reduce_sum_negative_axes_keepdims_random",
            "test_gemm_all_attributes", "test_gemm_alpha", "test_gemm_beta", "test_gemm_default_matrix_bias",
            "test_gemm_default_no_bias", "test_gemm_default_scalar_bias", "test_gemm_default_single_elem_vector_bias",
            "test_gemm_default_vector_bias", "test_gemm_default_zero_bias", "test_gemm_transposeA",
            "test_gemm_transposeB",
            "test_if", "test_loop11", "test_scan_sum", "test_scan9_sum",
            "test_range_float_type_positive_delta_expanded", "test_range_int32_type_negative_delta_expanded");

    @TestFactory
    Stream<DynamicTest> importsVerifiesAndRoundTrips() {
        return SUPPORTED.stream().map(test -> DynamicTest.dynamicTest(test, () -> check(OnnxTestData.node(test))));
    }

    /** Also the PyTorch exports of opset 6 whose weights are listed as graph inputs. */
    @TestFactory
    Stream<DynamicTest> importsOldPyTorchExports() {
        return Stream.of("test_Linear", "test_Linear_no_bias").map(test -> DynamicTest.dynamicTest(test,
                () -> check(OnnxTestData.folder("pytorch-converted", test))));
    }

    /**
     * Every test model of data/node either imports into a module that verifies, or fails with a
     * located diagnostic that is not an internal error; every test data file reads as a tensor
     * or fails with a diagnostic naming the file.
     */
    @Test
    void everyNodeTestImportsOrFailsWithADiagnostic() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(OnnxTestData.ROOT.resolve("node"))) {
            dirs = s.filter(d -> Files.isRegularFile(d.resolve("model.onnx"))).sorted().toList();
        }
        assertTrue(dirs.size() >= 900, "expected ONNX's ~932 node tests, found " + dirs.size());
        int imported = 0;
        List<String> problems = new ArrayList<>();
        for (Path dir : dirs) {
            Map<String, DenseElementsAttr> values = new LinkedHashMap<>();
            for (Path p : OnnxTestData.dataFiles(dir, "input")) {
                try {
                    NamedTensor t = TensorProtos.read(p);
                    values.put(t.name(), t.value());
                } catch (DiagnosticException e) {
                    if (!e.getMessage().startsWith(p + ": error: ")) {
                        problems.add(e.getMessage());
                    }
                }
            }
            Path model = dir.resolve("model.onnx");
            try {
                Module m = OnnxImporter.importModel(model, ImportOptions.defaults().withInputValues(values));
                if (!Verifier.verify(m, false).isEmpty()) {
                    problems.add(dir + ": does not verify");
                }
                imported++;
            } catch (DiagnosticException e) {
                if (!e.getMessage().startsWith(model + ":") || e.getMessage().contains("internal error")) {
                    problems.add(e.getMessage());
                }
            } catch (RuntimeException e) {
                problems.add(dir + ": " + e);
            }
        }
        assertTrue(problems.isEmpty(), () -> problems.size() + " problems:\n" + String.join("\n", problems));
        assertTrue(imported >= SUPPORTED.size(), "only " + imported + " node tests imported");
    }

    /**
     * Imports with the test's input values offered for freezing (ONNX's tests feed Reshape
     * targets and ReduceSum axes as graph inputs), then checks the module.
     */
    static Module check(Path dir) throws Exception {
        Path model = dir.resolve("model.onnx");
        List<Path> inputs = OnnxTestData.dataFiles(dir, "input");
        Map<String, DenseElementsAttr> values = new LinkedHashMap<>();
        List<NamedTensor> inputData = new ArrayList<>();
        for (Path p : inputs) {
            NamedTensor t = TensorProtos.read(p);
            inputData.add(t);
            values.put(t.name(), t.value());
        }
        Module m = OnnxImporter.importModel(model, ImportOptions.defaults().withInputValues(values));
        List<Diagnostic> problems = Verifier.verify(m, false);
        assertTrue(problems.isEmpty(), () -> "does not verify: " + problems);

        String text = IRPrinter.print(m);
        Module back = IRParser.parse(text, dir.getFileName() + ".lir");
        assertEquals(text, IRPrinter.print(back), "print(parse(print(m))) differs");
        assertTrue(Verifier.verify(back, false).isEmpty(), "the parsed print does not verify");

        Operation main = m.lookupSymbol("main").orElseThrow();
        FunctionType type = FuncOps.type(main);
        List<Path> outputs = OnnxTestData.dataFiles(dir, "output");
        List<String> frozen = main.attr("onnx.frozen_inputs") instanceof ArrayAttr a
                ? a.elements().stream().map(e -> ((StringAttr) e).value()).toList()
                : List.of();
        List<NamedTensor> fed = inputData.stream().filter(t -> !frozen.contains(t.name())).toList();
        assertEquals(fed.size(), type.inputs().size(), () -> "arguments of " + type.text() + " (frozen: " + frozen + ")");
        assertEquals(outputs.size(), type.results().size(), () -> "results of " + type.text());
        for (int i = 0; i < fed.size(); i++) {
            assertAccepts(type.inputs().get(i), fed.get(i), "argument #" + i);
        }
        for (int i = 0; i < outputs.size(); i++) {
            assertAccepts(type.results().get(i), TensorProtos.read(outputs.get(i)), "result #" + i);
        }
        return m;
    }

    private static void assertAccepts(Type declared, NamedTensor data, String what) {
        TensorType t = (TensorType) declared;
        assertTrue(t.isCompatibleWith(data.value().type()),
                () -> what + " is " + t.text() + " but the test data '" + data.name() + "' is " + data.value().type().text());
    }
}
