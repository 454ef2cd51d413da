package dev.lathe.testing;

/**
 * A diagnostic a test expects, from an annotation such as
 * {@code // expected-error@+1 {{operand types differ}}}.
 *
 * @param line           absolute 1-based line the diagnostic must point at, or
 *                       {@link #UNKNOWN_LINE} for {@code @unknown}
 * @param message        text the diagnostic's message must contain
 * @param annotationLine line of the annotation itself
 */
public record ExpectedDiagnostic(DiagnosticKind kind, int line, String message, int annotationLine) {
    /** The line of a diagnostic without a source location ({@code expected-error@unknown}). */
    public static final int UNKNOWN_LINE = 0;

    /** Whether {@code actual} fulfils this expectation: same kind, same line, message contains ours. */
    public boolean matches(ActualDiagnostic actual) {
        return actual.kind() == kind && actual.line() == line && actual.message().contains(message);
    }
}
