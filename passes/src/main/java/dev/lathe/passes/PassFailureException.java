package dev.lathe.passes;

import dev.lathe.ir.Diagnostic;
import java.nio.file.Path;
import java.util.List;

/**
 * A pipeline stopped at a failing pass. The message is meant for users as is (pass, op,
 * diagnostics, reproducer path, no stack trace); a crash's exception stays attached as the cause.
 */
public final class PassFailureException extends RuntimeException {

    private final transient PassFailure failure;
    private final List<Diagnostic> diagnostics;

    PassFailureException(PassFailure failure, List<Diagnostic> diagnostics) {
        super(failure.message(), failure.cause());
        this.failure = failure;
        this.diagnostics = List.copyOf(diagnostics);
    }

    public String passName() {
        return failure.pass().name();
    }

    public PassFailure.Kind kind() {
        return failure.kind();
    }

    /** Every diagnostic of the pipeline up to the failure, warnings of earlier passes included. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** The crash reproducer, or null when none was written. */
    public Path reproducer() {
        return failure.reproducer();
    }
}
