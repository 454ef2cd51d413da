package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.cli.LatheCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lathe opt} end to end: exit codes, located errors, output files, the packaged jar. */
class CliTest {

    static final Path EXAMPLE = Path.of("../examples/mlp.lir");
    static final String PIPELINE = "--pass-pipeline=canonicalize,cse,fold-constants,infer-shapes,dce";

    record Run(int exitCode, String out, String err) {}

    static Run lathe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = LatheCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void optimizesTheShippedExample() {
        Run r = lathe("opt", EXAMPLE.toString(), PIPELINE);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("func.func @mlp(%x: tensor<8x4xf32>, %w: tensor<4x3xf32>) -> tensor<8x3xf32>"), r.out());
        assertEquals(1, r.out().split("nn.matmul", -1).length - 1, "cse leaves one matmul:\n" + r.out());
        assertTrue(!r.out().contains("nn.transpose"), "canonicalize cancels the transposes:\n" + r.out());
    }

    @Test
    void invalidInputExitsWithOneLocatedError(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.lir");
        Files.writeString(bad, """
                func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
                  %0 = "nn.relu"(%b) : (tensor<2xf32>) -> tensor<2xf32>
                  func.return %0 : tensor<2xf32>
                }
                """);
        Run r = lathe("opt", bad.toString());
        assertEquals(LatheCommand.EXIT_INVALID_INPUT, r.exitCode());
        assertEquals(bad + ":2:18: error: use of undefined value '%b'", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void unregisteredOpsNeedTheFlag(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("u.lir");
        Files.writeString(file, "func.func @f() {\n  \"test.op\"() : () -> ()\n  func.return\n}\n");
        Run rejected = lathe("opt", file.toString());
        assertEquals(LatheCommand.EXIT_INVALID_INPUT, rejected.exitCode());
        assertTrue(rejected.err().startsWith(file + ":2:3: error: 'test.op' op is not registered"), rejected.err());
        Run accepted = lathe("opt", file.toString(), "--allow-unregistered");
        assertEquals(0, accepted.exitCode(), accepted.err());
        assertTrue(accepted.out().contains("\"test.op\"() : () -> ()"), accepted.out());
    }

    @Test
    void unknownPassIsAUserError() {
        Run r = lathe("opt", EXAMPLE.toString(), "--pass-pipeline=canonicalise");
        assertEquals(LatheCommand.EXIT_INVALID_INPUT, r.exitCode());
        assertTrue(r.err().contains("unknown pass 'canonicalise'"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace:\n" + r.err());
    }

    @Test
    void missingFileIsAUserError() {
        Run r = lathe("opt", "no/such/file.lir");
        assertEquals(LatheCommand.EXIT_INVALID_INPUT, r.exitCode());
        assertEquals("lathe: no such file: no/such/file.lir", r.err().strip());
    }

    @Test
    void writesTheOutputFileAndSplitsInput(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("two.lir");
        Files.writeString(in, """
                func.func @a(%x: tensor<2xf32>) -> tensor<2xf32> {
                  func.return %x : tensor<2xf32>
                }
                // -----
                func.func @b(%x: tensor<2xf32>) -> tensor<2xf32> {
                  %0 = "nn.relu"(%y) : (tensor<2xf32>) -> tensor<2xf32>
                  func.return %0 : tensor<2xf32>
                }
                """);
        Path out = dir.resolve("out.lir");
        Run r = lathe("opt", in.toString(), "--split-input-file", "-o", out.toString());
        assertEquals(LatheCommand.EXIT_INVALID_INPUT, r.exitCode(), "the second chunk is invalid");
        assertTrue(r.err().startsWith(in + ":6:18: error: use of undefined value '%y'"), r.err());
        String written = Files.readString(out);
        assertTrue(written.contains("func.func @a") && written.contains("// -----"), written);
    }

    /** The packaged jar, as ./lathe runs it: its manifest class path must be complete. */
    @Test
    void packagedJarRunsTheReadmeCommand() throws Exception {
        Path jar = Path.of("../cli/target/lathe-cli.jar");
        assertTrue(Files.exists(jar), "cli/target/lathe-cli.jar is missing: run the tests with ./mvnw -B verify");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "opt", EXAMPLE.toString(), PIPELINE));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "lathe did not finish");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("tensor<8x3xf32>"), output);
    }
}
