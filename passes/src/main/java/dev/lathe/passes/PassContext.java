package dev.lathe.passes;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.Location;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of one pass reports: named counters (shown by {@code --stats}), diagnostics, and
 * whether it failed. A pass fails by emitting a located error and calling {@link #signalFailure};
 * instrumentations (the verifier) may fail it too, after it ran.
 */
public final class PassContext {

    private final Pass pass;
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private boolean failed;
    private boolean invalidIR;

    public PassContext(Pass pass) {
        this.pass = pass;
    }

    public Pass pass() {
        return pass;
    }

    /** Adds {@code amount} to counter {@code name} (kebab-case, e.g. {@code ops-folded}). */
    public void add(String name, long amount) {
        counters.merge(name, amount, Long::sum);
    }

    public void increment(String name) {
        add(name, 1);
    }

    /** Counters in the order they were first touched. */
    public Map<String, Long> counters() {
        return Collections.unmodifiableMap(counters);
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    public void emit(Diagnostic diagnostic) {
        diagnostics.add(diagnostic);
    }

    public void emitError(Location location, String message) {
        emit(Diagnostic.error(location, message));
    }

    public void emitWarning(Location location, String message) {
        emit(new Diagnostic(Diagnostic.Severity.WARNING, location, message));
    }

    public void emitNote(Location location, String message) {
        emit(new Diagnostic(Diagnostic.Severity.NOTE, location, message));
    }

    public List<Diagnostic> diagnostics() {
        return Collections.unmodifiableList(diagnostics);
    }

    /** Marks the pass as failed; the pass manager stops the pipeline after it. */
    public void signalFailure() {
        failed = true;
    }

    /** Emits a located error and marks the pass as failed. */
    public void fail(Location location, String message) {
        emitError(location, message);
        signalFailure();
    }

    public boolean failed() {
        return failed;
    }

    /** Marks the pass as having left IR that does not verify (used by the verifier instrumentation). */
    public void signalInvalidIR() {
        invalidIR = true;
        failed = true;
    }

    public boolean producedInvalidIR() {
        return invalidIR;
    }
}
