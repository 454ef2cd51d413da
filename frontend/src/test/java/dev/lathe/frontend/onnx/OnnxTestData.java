package dev.lathe.frontend.onnx;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian's {@code libonnx-testdata}: ONNX's own per-op test models with their inputs and
 * expected outputs. CI installs it ({@code .ci/run}); a missing directory fails the tests with
 * instructions instead of skipping them.
 */
final class OnnxTestData {

    /** Overridable with {@code -Dlathe.onnx.testdata=DIR} (the directory holding {@code node/}). */
    static final Path ROOT = Path.of(System.getProperty("lathe.onnx.testdata", "/usr/share/libonnx-testdata/data"));

    private OnnxTestData() {}

    /** The folder of one test of {@code data/node}, e.g. {@code test_add}. */
    static Path node(String test) {
        return folder("node", test);
    }

    static Path folder(String group, String test) {
        Path dir = ROOT.resolve(group).resolve(test);
        if (!Files.isDirectory(ROOT)) {
            fail("ONNX test data not found at " + ROOT + ": install Debian's libonnx-testdata"
                    + " (sudo apt-get install libonnx-testdata), as .ci/run does, or pass -Dlathe.onnx.testdata=DIR");
        }
        if (!Files.isRegularFile(dir.resolve("model.onnx"))) {
            fail("ONNX test folder " + dir + " has no model.onnx; is libonnx-testdata complete?");
        }
        return dir;
    }

    static Path model(String test) {
        return node(test).resolve("model.onnx");
    }

    /** {@code input_*.pb} or {@code output_*.pb} of a test's first data set, in index order. */
    static List<Path> dataFiles(Path testDir, String prefix) throws IOException {
        Path set = testDir.resolve("test_data_set_0");
        try (Stream<Path> files = Files.list(set)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix + "_"))
                    .sorted((a, b) -> Integer.compare(index(a), index(b)))
                    .toList();
        }
    }

    private static int index(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(n.indexOf('_') + 1, n.indexOf('.')));
    }

    static byte[] bytes(String test) throws IOException {
        return Files.readAllBytes(model(test));
    }
}
