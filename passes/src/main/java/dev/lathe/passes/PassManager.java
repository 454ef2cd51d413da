package dev.lathe.passes;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.Module;
import dev.lathe.passes.instrument.CrashReproducerInstrumentation;
import dev.lathe.passes.instrument.IRPrintingInstrumentation;
import dev.lathe.passes.instrument.StatisticsInstrumentation;
import dev.lathe.passes.instrument.TimingInstrumentation;
import dev.lathe.passes.instrument.VerifierInstrumentation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a pipeline on a module. Every debugging aid is an instrumentation on the one
 * {@link PassInstrumentation} hook; this class only wires them from its switches, which mirror
 * the CLI flags ({@code --print-ir-after-all}, {@code --timing}, ...; see docs/passes.md).
 *
 * <pre>{@code
 * new PassManager(PassPipeline.parse("canonicalize,cse")).timing(System.err).run(module);
 * }</pre>
 */
public final class PassManager {

    /** What a successful run reports: every diagnostic (warnings) and each pass's context. */
    public record Result(List<Diagnostic> diagnostics, List<PassContext> passes) {}

    private final PassPipeline pipeline;
    private final List<PassInstrumentation> userInstrumentations = new ArrayList<>();
    private boolean verifyEach = true;
    private boolean allowUnregistered;
    private PrintStream irOut;
    private boolean printAfterAll;
    private boolean printAfterChange;
    private boolean printAfterFailure;
    private PrintStream timingOut;
    private PrintStream statisticsOut;
    private boolean reproducerEnabled = true;
    private Path reproducerDir = Path.of(System.getProperty("java.io.tmpdir"));
    private String reproducerName;

    public PassManager(PassPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** A manager for a pipeline parsed with the global registry. */
    public static PassManager parse(String pipelineText) {
        return new PassManager(PassPipeline.parse(pipelineText));
    }

    public PassPipeline pipeline() {
        return pipeline;
    }

    /** Verify the input and the IR after each pass (on by default; {@code --no-verify-each}). */
    public PassManager verifyEach(boolean enabled) {
        this.verifyEach = enabled;
        return this;
    }

    /** Let the verifier accept ops of unknown dialects ({@code --allow-unregistered}). */
    public PassManager allowUnregistered(boolean allowed) {
        this.allowUnregistered = allowed;
        return this;
    }

    public PassManager printIrAfterAll(PrintStream out) {
        irOut = out;
        printAfterAll = true;
        return this;
    }

    /** Print the IR after a pass only when its printed text changed. */
    public PassManager printIrAfterChange(PrintStream out) {
        irOut = out;
        printAfterChange = true;
        return this;
    }

    public PassManager printIrAfterFailure(PrintStream out) {
        irOut = out;
        printAfterFailure = true;
        return this;
    }

    /** Print a table of wall time per pass at the end ({@code --timing}). */
    public PassManager timing(PrintStream out) {
        timingOut = out;
        return this;
    }

    /** Print each pass's counters and op counts at the end ({@code --stats}). */
    public PassManager statistics(PrintStream out) {
        statisticsOut = out;
        return this;
    }

    /** Where crash reproducers go (default: the system temp directory). */
    public PassManager reproducerDir(Path dir) {
        reproducerDir = dir;
        reproducerEnabled = true;
        return this;
    }

    /** The base name of the reproducer file; default: the input file's name, or {@code lathe}. */
    public PassManager reproducerName(String name) {
        reproducerName = name;
        return this;
    }

    public PassManager disableCrashReproducer() {
        reproducerEnabled = false;
        return this;
    }

    public PassManager addInstrumentation(PassInstrumentation instrumentation) {
        userInstrumentations.add(instrumentation);
        return this;
    }

    /**
     * The instrumentations in registration order. Timing is innermost so it measures only the
     * pass; the verifier sits just outside it, so a pass that breaks the IR is reported as
     * failed before any printing or statistics see the broken IR as a success.
     */
    private List<PassInstrumentation> instrumentations() {
        List<PassInstrumentation> all = new ArrayList<>();
        if (reproducerEnabled) {
            all.add(new CrashReproducerInstrumentation(reproducerDir, reproducerName, allowUnregistered));
        }
        if (printAfterAll || printAfterChange || printAfterFailure) {
            all.add(new IRPrintingInstrumentation(irOut, printAfterAll, printAfterChange, printAfterFailure));
        }
        if (statisticsOut != null) {
            all.add(new StatisticsInstrumentation(statisticsOut));
        }
        all.addAll(userInstrumentations);
        if (verifyEach) {
            all.add(new VerifierInstrumentation(allowUnregistered));
        }
        if (timingOut != null) {
            all.add(new TimingInstrumentation(timingOut));
        }
        return all;
    }

    /**
     * Runs the pipeline; throws {@link PassFailureException} at the first failing pass, and
     * {@link dev.lathe.ir.DiagnosticException} when the input itself does not verify.
     */
    public Result run(Module module) {
        List<PassInstrumentation> inst = instrumentations();
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<PassContext> contexts = new ArrayList<>();
        boolean succeeded = false;
        try {
            inst.forEach(i -> i.runBeforePipeline(module, pipeline));
            for (int index = 0; index < pipeline.size(); index++) {
                Pass pass = pipeline.passes().get(index);
                PassContext context = new PassContext(pass);
                contexts.add(context);
                PassFailure failure = runOne(pass, module, context, inst, pipeline.textFrom(index));
                diagnostics.addAll(context.diagnostics());
                if (failure != null) {
                    for (int i = inst.size() - 1; i >= 0; i--) {
                        inst.get(i).runAfterPassFailed(pass, module, failure);
                    }
                    throw new PassFailureException(failure, diagnostics);
                }
            }
            succeeded = true;
        } finally {
            for (int i = inst.size() - 1; i >= 0; i--) {
                inst.get(i).runAfterPipeline(module, succeeded);
            }
        }
        return new Result(List.copyOf(diagnostics), List.copyOf(contexts));
    }

    /** Runs one pass inside its instrumentation; returns why it failed, or null. */
    private static PassFailure runOne(Pass pass, Module module, PassContext context, List<PassInstrumentation> inst,
            String remaining) {
        inst.forEach(i -> i.runBeforePass(pass, module));
        try {
            pass.run(module, context);
        } catch (RuntimeException | StackOverflowError e) {
            return new PassFailure(pass, PassFailure.Kind.CRASHED, e, context.diagnostics(), remaining);
        }
        if (context.failed()) {
            return new PassFailure(pass, PassFailure.Kind.FAILED, null, errors(context), remaining);
        }
        for (int i = inst.size() - 1; i >= 0; i--) {
            inst.get(i).runAfterPass(pass, module, context);
            if (context.failed()) {
                PassFailure.Kind kind = context.producedInvalidIR() ? PassFailure.Kind.INVALID_IR : PassFailure.Kind.FAILED;
                return new PassFailure(pass, kind, null, errors(context), remaining);
            }
        }
        return null;
    }

    private static List<Diagnostic> errors(PassContext context) {
        return context.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
    }
}
