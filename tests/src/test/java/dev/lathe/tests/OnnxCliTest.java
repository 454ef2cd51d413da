package dev.lathe.tests;

import static dev.lathe.tests.CliTest.lathe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.cli.LatheCommand;
import dev.lathe.cli.conformance.TensorComparison;
import dev.lathe.frontend.IRParser;
import dev.lathe.frontend.onnx.TensorProtos;
import dev.lathe.ir.Verifier;
import dev.lathe.ir.attr.DenseElementsAttr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe import}, {@code lathe run} and {@code lathe conformance} on ONNX's test data. */
class OnnxCliTest {

    static final Path ADD = OnnxConformanceTest.NODE_TESTS.resolve("test_add");

    @Test
    void runWritesOutputsThatMatchOnnxsExpectedOnes(@TempDir Path out) throws IOException {
        Path data = ADD.resolve("test_data_set_0");
        CliTest.Run r = lathe("run", ADD.resolve("model.onnx").toString(),
                "--input", "x=" + data.resolve("input_0.pb"), "--input", "y=" + data.resolve("input_1.pb"),
                "--output-dir", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("sum: tensor<3x4x5xf32> ["), r.out());
        DenseElementsAttr expected = TensorProtos.read(data.resolve("output_0.pb")).value();
        DenseElementsAttr actual = TensorProtos.read(out.resolve("sum.pb")).value();
        assertNull(TensorComparison.mismatch(expected, actual, 0, 0), "a single add is exact");
    }

    @Test
    void runNamesAMissingInput() {
        CliTest.Run r = lathe("run", ADD.resolve("model.onnx").toString(),
                "--input", "x=" + ADD.resolve("test_data_set_0/input_0.pb"));
        assertEquals(LatheCommand.EXIT_INVALID_INPUT, r.exitCode());
        assertTrue(r.err().contains("missing input 'y'"), r.err());
    }

    @Test
    void importedIrParsesBackAndVerifies(@TempDir Path dir) throws IOException {
        Path lir = dir.resolve("add.lir");
        CliTest.Run r = lathe("import", ADD.resolve("model.onnx").toString(), "-o", lir.toString());
        assertEquals(0, r.exitCode(), r.err());
        String text = Files.readString(lir);
        assertTrue(text.contains("\"nn.add\"(%x, %y)"), text);
        assertEquals(java.util.List.of(), Verifier.verify(IRParser.parse(text, lir.toString()), false));
    }

    @Test
    void conformanceCountsEveryFolderAndNamesFailures(@TempDir Path dir) throws IOException {
        // A copy of test_add whose expected output is wrong: x instead of x + y.
        Path broken = dir.resolve("test_add_wrong");
        Files.createDirectories(broken.resolve("test_data_set_0"));
        Files.copy(ADD.resolve("model.onnx"), broken.resolve("model.onnx"));
        for (String f : new String[] {"input_0.pb", "input_1.pb"}) {
            Files.copy(ADD.resolve("test_data_set_0").resolve(f), broken.resolve("test_data_set_0").resolve(f));
        }
        Files.copy(ADD.resolve("test_data_set_0/input_0.pb"), broken.resolve("test_data_set_0/output_0.pb"));
        CliTest.Run r = lathe("conformance", ADD.toString(), broken.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("FAIL test_add_wrong: test_data_set_0 output 0: "), r.out());
        assertTrue(r.out().contains("elements differ beyond rtol 0.001, atol 1.0E-7"), r.out());
        assertTrue(r.out().strip().endsWith("1 passed, 1 failed"), r.out());
    }
}
