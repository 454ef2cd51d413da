package dev.lathe.testing;

import java.util.List;
import java.util.stream.Collectors;

/** The outcome of checking output or diagnostics: every failure, in order, or none. */
public record CheckResult(List<CheckFailure> failures) {
    public CheckResult {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    /** All failures, one {@code file:line: ...} entry after another. */
    public String message() {
        if (passed()) return "all checks passed";
        return failures.stream().map(CheckFailure::toString).collect(Collectors.joining("\n"));
    }

    /** Throws an {@link AssertionError} carrying {@link #message()} unless every check passed. */
    public void assertPassed() {
        if (!passed()) throw new AssertionError(message());
    }
}
