package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.cli.conformance.ConformanceRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own per-op backend tests through the importer and the reference interpreter. The pass
 * count may not fall below the ratchet in {@code tests/conformance-thresholds.properties}; the
 * full list of failures with reasons is written to {@code target/conformance-node-interp.txt}.
 */
class OnnxConformanceTest {

    static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

    @Test
    void nodeTestsPassAtLeastTheRatchet() throws IOException {
        assertTrue(Files.isDirectory(NODE_TESTS),
                NODE_TESTS + " is missing: install Debian's libonnx-testdata (.ci/run does)");
        long threshold = threshold("interp.node");
        ConformanceRunner runner = new ConformanceRunner(ConformanceRunner.Options.DEFAULT);
        List<String> lines = new ArrayList<>();
        int passed = 0;
        List<Path> tests = ConformanceRunner.findTests(List.of(NODE_TESTS));
        for (Path test : tests) {
            ConformanceRunner.Outcome o = runner.run(test);
            if (o.passed()) {
                passed++;
            } else {
                lines.add("FAIL " + o.name() + ": " + o.reason());
            }
        }
        String summary = "interp: " + passed + " of " + tests.size() + " ONNX node tests pass (ratchet " + threshold + ")";
        lines.add(summary);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/conformance-node-interp.txt"), lines);
        System.out.println(summary);
        if (passed > threshold) {
            System.out.println("raise interp.node in tests/conformance-thresholds.properties to " + passed);
        }
        assertTrue(passed >= threshold, summary + "; failures are listed in tests/target/conformance-node-interp.txt");
    }

    static long threshold(String key) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("conformance-thresholds.properties"))) {
            p.load(in);
        }
        return Long.parseLong(p.getProperty(key).strip());
    }
}
