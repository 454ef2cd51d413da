package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lathe.cli.OptCommand;
import dev.lathe.cli.OptDriver;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.testing.ActualDiagnostic;
import dev.lathe.testing.CheckResult;
import dev.lathe.testing.LirTestCase;
import dev.lathe.testing.LirTestFile;
import dev.lathe.testing.RunLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code .lir} file under {@code src/test/resources/lir}: each {@code // RUN:
 * lathe-opt %s ARGS} line on each case between {@code // -----} separators, through the same
 * {@link OptDriver} as the command line. A case's output must satisfy its CHECK lines; with
 * {@code --verify-diagnostics} its diagnostics must match its {@code expected-error}
 * annotations instead. Debug output (--print-ir-after-all, --stats, ...) comes before the
 * printed module, in the order it was written. Every case that parses must also round-trip through print and parse.
 */
class LirFileTests {

    static final Path ROOT = Path.of("src/test/resources/lir");
    static final String VERIFY_DIAGNOSTICS = "--verify-diagnostics";

    @TestFactory
    Stream<DynamicNode> lirFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            files = walk.filter(p -> p.toString().endsWith(".lir")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .lir tests found under " + ROOT.toAbsolutePath());
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path file : files) {
            String name = ROOT.relativize(file).toString();
            LirTestFile test = LirTestFile.read(file, name);
            nodes.add(DynamicContainer.dynamicContainer(name, file.toUri(), casesOf(test)));
        }
        return nodes.stream();
    }

    private static Stream<DynamicNode> casesOf(LirTestFile file) {
        if (file.runLines().isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("has a RUN line", () -> fail(file.fileName() + " has no // RUN: line")));
        }
        List<DynamicNode> tests = new ArrayList<>();
        for (RunLine run : file.runLines()) {
            for (LirTestCase c : file.cases()) {
                tests.add(DynamicTest.dynamicTest(c.displayName(), () -> runCase(file, run, c)));
            }
        }
        return tests.stream();
    }

    private static void runCase(LirTestFile file, RunLine run, LirTestCase c) {
        if (!run.tool().equals("lathe-opt")) {
            fail(file.fileName() + ":" + run.line() + ": unknown tool '" + run.tool() + "' (expected lathe-opt)");
        }
        List<String> args = new ArrayList<>(run.argsFor("%s"));
        args.remove("%s");
        args.remove("--split-input-file"); // cases are always split
        boolean verifyDiagnostics = args.remove(VERIFY_DIAGNOSTICS);
        OptDriver.Options options = OptCommand.parseOptions(args);
        ByteArrayOutputStream debug = new ByteArrayOutputStream();
        OptDriver.Result result = OptDriver.run(c.alignedText(), file.fileName(), options,
                new PrintStream(debug, true, StandardCharsets.UTF_8));
        if (verifyDiagnostics) {
            List<ActualDiagnostic> actual = new ArrayList<>();
            for (Diagnostic d : result.diagnostics()) {
                actual.add(new ActualDiagnostic(d.severity().text(), d.line(), d.message()));
            }
            if (result.failureMessage() != null && actual.stream().noneMatch(a -> a.kind().spelling().equals("error"))) {
                actual.add(new ActualDiagnostic("error", 0, result.failureMessage()));
            }
            assertPassed(c.checkDiagnostics(actual), result);
        } else if (!result.succeeded()) {
            fail(c.displayName() + ": lathe-opt failed:\n" + result.errorText());
        }
        if (c.hasChecks()) {
            assertPassed(c.checkOutput(debug.toString(StandardCharsets.UTF_8) + result.output()), result);
        }
        if (result.succeeded()) {
            assertRoundTrips(file.fileName(), result.output());
        }
    }

    private static void assertPassed(CheckResult check, OptDriver.Result result) {
        if (!check.passed()) {
            fail(check.message() + "\n--- output ---\n" + result.output() + "--- errors ---\n" + result.errorText());
        }
    }

    /** print(parse(print(m))) == print(m) on the tool's output. */
    static void assertRoundTrips(String fileName, String printed) {
        Module reparsed = IRParser.parse(printed, fileName + " (printed)");
        assertEquals(printed, IRPrinter.print(reparsed), "printing is not a fixed point for " + fileName);
    }
}
