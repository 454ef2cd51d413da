package dev.lathe.cli;

import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.ir.Verifier;
import dev.lathe.passes.PassFailureException;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code lathe opt} does, as a function from IR text to IR text and diagnostics: parse,
 * verify, run the pipeline, print. The {@code .lir} test runner calls it directly, so tests and
 * the command line can never disagree.
 */
public final class OptDriver {

    /** The separator of {@code --split-input-file}, as in mlir-opt. */
    public static final String SPLIT_MARKER = "// -----";

    /** The switches of {@code lathe opt}; see docs/cli.md. */
    public record Options(String pipeline, boolean allowUnregistered, boolean verifyEach, boolean printIrAfterAll,
            boolean printIrAfterChange, boolean printIrAfterFailure, boolean timing, boolean statistics,
            Path reproducerDir, boolean printLocations) {

        public static Options pipeline(String pipeline) {
            return new Options(pipeline, false, true, false, false, false, false, false, null, false);
        }

        public Options withAllowUnregistered(boolean allow) {
            return new Options(pipeline, allow, verifyEach, printIrAfterAll, printIrAfterChange, printIrAfterFailure,
                    timing, statistics, reproducerDir, printLocations);
        }
    }

    /** The printed module (empty when processing failed) and every diagnostic, in order. */
    public record Result(String output, List<Diagnostic> diagnostics, String failureMessage) {
        public boolean succeeded() {
            return failureMessage == null && diagnostics.stream().noneMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
        }

        /** What the command prints on stderr: each diagnostic, then the failure summary if any. */
        public String errorText() {
            StringBuilder sb = new StringBuilder();
            for (Diagnostic d : diagnostics) {
                // A pass failure's message already lists the failing pass's diagnostics.
                if (failureMessage == null || !failureMessage.contains(d.toString())) {
                    sb.append(d).append('\n');
                }
            }
            if (failureMessage != null) {
                sb.append(failureMessage).append('\n');
            }
            return sb.toString();
        }
    }

    private OptDriver() {}

    /**
     * Processes one module. Debug output (IR dumps, timing, statistics) goes to {@code debugOut}.
     * The pipeline text is checked before anything else so a typo fails fast.
     */
    public static Result run(String text, String fileName, Options options, PrintStream debugOut) {
        PassPipeline pipeline = PassPipeline.parse(options.pipeline() == null ? "" : options.pipeline());
        List<Diagnostic> diagnostics = new ArrayList<>();
        Module module;
        try {
            module = IRParser.parse(text, fileName);
        } catch (DiagnosticException e) {
            return new Result("", e.diagnostics(), null);
        }
        List<Diagnostic> invalid = Verifier.verify(module, options.allowUnregistered());
        if (!invalid.isEmpty()) {
            return new Result("", invalid, null);
        }
        PassManager pm = passManager(pipeline, options, debugOut);
        try {
            diagnostics.addAll(pm.run(module).diagnostics());
        } catch (PassFailureException e) {
            return new Result("", e.diagnostics(), e.getMessage());
        } catch (DiagnosticException e) {
            return new Result("", e.diagnostics(), null);
        }
        String printed = IRPrinter.print(module, new IRPrinter.Options(options.printLocations()));
        return new Result(printed, diagnostics, null);
    }

    /** A pass manager for {@code pipeline} with the debug switches of {@code options}. */
    public static PassManager passManager(PassPipeline pipeline, Options options, PrintStream debugOut) {
        PassManager pm = new PassManager(pipeline)
                .verifyEach(options.verifyEach())
                .allowUnregistered(options.allowUnregistered());
        if (options.printIrAfterAll()) {
            pm.printIrAfterAll(debugOut);
        }
        if (options.printIrAfterChange()) {
            pm.printIrAfterChange(debugOut);
        }
        if (options.printIrAfterFailure()) {
            pm.printIrAfterFailure(debugOut);
        }
        if (options.timing()) {
            pm.timing(debugOut);
        }
        if (options.statistics()) {
            pm.statistics(debugOut);
        }
        if (options.reproducerDir() != null) {
            pm.reproducerDir(options.reproducerDir());
        }
        return pm;
    }

    /**
     * Splits {@code text} at {@link #SPLIT_MARKER} lines. Each chunk is padded with empty lines
     * in front so that its line numbers, and so its diagnostics, are those of the whole file.
     */
    public static List<String> splitInput(String text) {
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 0;
        for (String l : text.split("\n", -1)) {
            line++;
            if (l.strip().equals(SPLIT_MARKER)) {
                chunks.add(current.toString());
                current = new StringBuilder("\n".repeat(line));
            } else {
                current.append(l).append('\n');
            }
        }
        chunks.add(current.toString());
        return chunks;
    }
}
