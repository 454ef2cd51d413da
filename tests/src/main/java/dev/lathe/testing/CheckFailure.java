package dev.lathe.testing;

/**
 * One failed expectation: the file and line of the directive or annotation that failed, and a
 * message whose first line is the summary and whose further, indented lines show the evidence.
 *
 * @param line 1-based line in {@code file}, or 0 when the failure has no line of its own
 */
public record CheckFailure(String file, int line, String message) {
    /** {@code file:line: message}, the form editors and build logs turn into links. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
