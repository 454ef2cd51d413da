package dev.lathe.ir;

/** One message about the IR, printed as {@code LOCATION: error: MESSAGE} on one line. */
public record Diagnostic(Severity severity, Location location, String message) {

    public enum Severity {
        ERROR("error"), WARNING("warning"), NOTE("note");

        private final String text;

        Severity(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public static Diagnostic error(Location location, String message) {
        return new Diagnostic(Severity.ERROR, location, message);
    }

    /** The 1-based line of a file location, or 0 when the location has none. */
    public int line() {
        return location instanceof Location.FileLineCol f ? f.line() : 0;
    }

    @Override
    public String toString() {
        return location + ": " + severity.text() + ": " + message;
    }
}
