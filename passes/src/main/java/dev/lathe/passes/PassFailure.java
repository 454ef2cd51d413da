package dev.lathe.passes;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Why a pass failed, handed to {@link PassInstrumentation#runAfterPassFailed}; instrumentations may add notes. */
public final class PassFailure {

    public enum Kind {
        /** The pass threw. */
        CRASHED,
        /** The pass reported errors and signalled failure (usually bad input). */
        FAILED,
        /** The pass left IR that does not verify. */
        INVALID_IR
    }

    private final Pass pass;
    private final Kind kind;
    private final Throwable cause;
    private final List<Diagnostic> diagnostics;
    private final String remainingPipeline;
    private final List<String> notes = new ArrayList<>();
    private Path reproducer;

    PassFailure(Pass pass, Kind kind, Throwable cause, List<Diagnostic> diagnostics, String remainingPipeline) {
        this.pass = pass;
        this.kind = kind;
        this.cause = cause;
        this.diagnostics = List.copyOf(diagnostics);
        this.remainingPipeline = remainingPipeline;
    }

    public Pass pass() {
        return pass;
    }

    public Kind kind() {
        return kind;
    }

    /** The exception of a crash, else null. */
    public Throwable cause() {
        return cause;
    }

    /** The op a crash happened on, when the pass said so through {@link OpCrashException}. */
    public Operation op() {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof OpCrashException e) {
                return e.op();
            }
        }
        return null;
    }

    /** The exception that actually went wrong, unwrapped from {@link OpCrashException}. */
    public Throwable rootException() {
        Throwable t = cause;
        while (t instanceof OpCrashException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The diagnostics of the failing pass (its errors, or the verifier's). */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** The failing pass and the ones after it, as pipeline text. */
    public String remainingPipeline() {
        return remainingPipeline;
    }

    public void addNote(String note) {
        notes.add(note);
    }

    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    public void setReproducer(Path path) {
        this.reproducer = path;
    }

    /** Where a crash reproducer was written, or null. */
    public Path reproducer() {
        return reproducer;
    }

    /** One paragraph for the user: what failed, where, and what to do next (no stack trace). */
    public String message() {
        StringBuilder sb = new StringBuilder("pass '").append(pass.name()).append('\'');
        switch (kind) {
            case CRASHED -> {
                sb.append(" crashed");
                Operation op = op();
                if (op != null) {
                    sb.append(" on ").append(op);
                }
                sb.append(": ").append(rootException());
            }
            case FAILED -> sb.append(" failed");
            case INVALID_IR -> sb.append(" produced invalid IR");
        }
        for (Diagnostic d : diagnostics) {
            sb.append('\n').append(d);
        }
        for (String note : notes) {
            sb.append('\n').append(note);
        }
        return sb.toString();
    }
}
