package dev.lathe.testing;

import java.util.Arrays;
import java.util.Locale;

/** Severity of a diagnostic, spelled in annotations as {@code expected-error} and so on. */
public enum DiagnosticKind {
    ERROR, WARNING, NOTE, REMARK;

    /** The lower-case word used in annotations and messages, e.g. {@code error}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind spelled {@code word}, in any case. */
    public static DiagnosticKind parse(String word) {
        for (DiagnosticKind kind : values()) {
            if (kind.name().equalsIgnoreCase(word)) return kind;
        }
        throw new IllegalArgumentException("unknown diagnostic kind \"" + word + "\"; expected one of "
                + Arrays.stream(values()).map(DiagnosticKind::spelling).toList());
    }
}
