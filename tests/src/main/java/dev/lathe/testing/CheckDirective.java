package dev.lathe.testing;

/**
 * One directive as written in a check file.
 *
 * @param file    the check file's name, for messages
 * @param line    1-based line of the directive in that file
 * @param prefix  the check prefix it was found with, usually {@code CHECK}
 * @param pattern the pattern after the colon, with surrounding whitespace removed
 */
public record CheckDirective(String file, int line, String prefix, CheckKind kind, String pattern) {
    /** The directive as written, e.g. {@code CHECK-NEXT}. */
    public String name() {
        return prefix + kind.suffix();
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + name() + ": " + pattern;
    }
}
