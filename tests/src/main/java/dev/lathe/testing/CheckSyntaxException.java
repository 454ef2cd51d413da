package dev.lathe.testing;

/**
 * A check file, RUN line or diagnostic annotation that cannot be understood. Thrown rather than
 * reported as a failed check, because it is a mistake in the test, not in the compiler; the
 * message starts with {@code file:line:} and says what to write instead.
 */
public final class CheckSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CheckSyntaxException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }

    public CheckSyntaxException(String file, String message) {
        super(file + ": " + message);
    }
}
