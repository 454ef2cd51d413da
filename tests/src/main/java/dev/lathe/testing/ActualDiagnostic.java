package dev.lathe.testing;

/**
 * A diagnostic the compiler reported while running a test.
 *
 * @param line absolute 1-based line in the test file, or {@link ExpectedDiagnostic#UNKNOWN_LINE}
 */
public record ActualDiagnostic(DiagnosticKind kind, int line, String message) {
    /** From the compiler's own spelling of the kind, such as {@code "error"}. */
    public ActualDiagnostic(String kind, int line, String message) {
        this(DiagnosticKind.parse(kind), line, message);
    }
}
