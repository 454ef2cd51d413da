package dev.lathe.passes;

/**
 * A malformed pipeline, e.g. an unknown pass or option. The message gives the 1-based column,
 * then the pipeline with a caret under the problem.
 */
public final class PassPipelineException extends IllegalArgumentException {

    private final int column;

    public PassPipelineException(String pipeline, int offset, String problem) {
        super("invalid pass pipeline at column " + (offset + 1) + ": " + problem + "\n  " + pipeline + "\n  "
                + " ".repeat(Math.max(0, offset)) + "^");
        this.column = offset + 1;
    }

    /** The 1-based column of the problem. */
    public int column() {
        return column;
    }
}
