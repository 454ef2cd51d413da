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
 * ONNX's own per-op backend tests through the importer and each backend: the reference
 * interpreter and native code from the CPU backend. Per backend, the pass count may not fall
 * below the ratchet in {@code tests/conformance-thresholds.properties}; the full list of
 * failures with reasons is written to {@code target/conformance-node-BACKEND.txt}.
 */
class OnnxConformanceTest {

    static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

    @Test
    void interpreterPassesAtLeastTheRatchet() throws IOException {
        checkRatchet(ConformanceRunner.Backend.INTERP);
    }

    @Test
    void cpuBackendPassesAtLeastTheRatchet() throws IOException {
        checkRatchet(ConformanceRunner.Backend.CPU);
    }

    private static void checkRatchet(ConformanceRunner.Backend backend) throws IOException {
        assertTrue(Files.isDirectory(NODE_TESTS),
                NODE_TESTS + " is missing: install Debian's libonnx-testdata (.ci/run does)");
        String key = backend.name().toLowerCase(java.util.Locale.ROOT);
        long threshold = threshold(key + ".node");
        ConformanceRunner.Options defaults = ConformanceRunner.Options.DEFAULT;
        ConformanceRunner runner = new ConformanceRunner(new ConformanceRunner.Options(defaults.rtol(), defaults.atol(),
                defaults.timeoutMillis(), backend));
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
        String summary = key + ": " + passed + " of " + tests.size() + " ONNX node tests pass (ratchet " + threshold + ")";
        lines.add(summary);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/conformance-node-" + key + ".txt"), lines);
        System.out.println(summary);
        if (passed > threshold) {
            System.out.println("raise " + key + ".node in tests/conformance-thresholds.properties to " + passed);
        }
        assertTrue(passed >= threshold, summary + "; failures are listed in tests/target/conformance-node-" + key + ".txt");
    }

    static long threshold(String key) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("conformance-thresholds.properties"))) {
            p.load(in);
        }
        return Long.parseLong(p.getProperty(key).strip());
    }
}
