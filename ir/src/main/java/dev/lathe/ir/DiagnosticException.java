package dev.lathe.ir;

import java.util.List;
import java.util.stream.Collectors;

/** Invalid input: carries located diagnostics, one per line in its message, never a bare trace. */
public final class DiagnosticException extends RuntimeException {

    private final List<Diagnostic> diagnostics;

    public DiagnosticException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")), null, false, false);
        if (diagnostics.isEmpty()) {
            throw new IllegalArgumentException("a DiagnosticException needs at least one diagnostic");
        }
        this.diagnostics = List.copyOf(diagnostics);
    }

    public DiagnosticException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
