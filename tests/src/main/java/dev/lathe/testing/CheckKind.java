package dev.lathe.testing;

/** The FileCheck directives Lathe's tests use, by the suffix that follows the prefix. */
public enum CheckKind {
    /** {@code CHECK:} the pattern occurs at or after the previous match. */
    PLAIN(""),
    /** {@code CHECK-NEXT:} the pattern occurs on the line right after the previous match. */
    NEXT("-NEXT"),
    /** {@code CHECK-SAME:} the pattern occurs later on the line of the previous match. */
    SAME("-SAME"),
    /** {@code CHECK-NOT:} the pattern does not occur between the surrounding matches. */
    NOT("-NOT"),
    /** {@code CHECK-LABEL:} a unique anchor; the input is split at labels before anything else. */
    LABEL("-LABEL"),
    /** {@code CHECK-DAG:} consecutive DAG patterns occur in any order, without overlapping. */
    DAG("-DAG"),
    /** {@code CHECK-EMPTY:} the line after the previous match is empty. */
    EMPTY("-EMPTY");

    private final String suffix;

    CheckKind(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    /** Whether the directive is placed relative to the previous match, so it cannot come first. */
    public boolean followsPreviousMatch() {
        return this == NEXT || this == SAME || this == EMPTY;
    }

    /** The kind spelled {@code suffix} (e.g. {@code "-NEXT"}), or null. */
    static CheckKind fromSuffix(String suffix) {
        for (CheckKind kind : values()) {
            if (kind.suffix.equals(suffix)) return kind;
        }
        return null;
    }
}
