package dev.lathe.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Compares reported diagnostics with expected ones as MLIR's {@code -verify-diagnostics} does:
 * each expectation needs a diagnostic of its kind on its line whose message contains its text, and
 * every reported diagnostic (error, warning, note or remark) must be expected.
 */
public final class DiagnosticCheck {
    private DiagnosticCheck() {}

    public static CheckResult check(String file, List<ExpectedDiagnostic> expected, List<ActualDiagnostic> actual) {
        boolean[] used = new boolean[actual.size()];
        var unmet = new ArrayList<ExpectedDiagnostic>();
        // Longest texts choose first, so {{foo}} cannot take the diagnostic {{foo bar}} needs.
        Comparator<ExpectedDiagnostic> longestFirst = Comparator.comparingInt(e -> -e.message().length());
        for (ExpectedDiagnostic expectation : expected.stream().sorted(longestFirst).toList()) {
            int match = -1;
            for (int i = 0; i < actual.size() && match < 0; i++) {
                if (!used[i] && expectation.matches(actual.get(i))) match = i;
            }
            if (match >= 0) used[match] = true;
            else unmet.add(expectation);
        }
        var failures = new ArrayList<CheckFailure>();
        for (ExpectedDiagnostic expectation : unmet) failures.add(unmetFailure(file, expectation, actual));
        for (int i = 0; i < actual.size(); i++) {
            ActualDiagnostic diagnostic = actual.get(i);
            if (!used[i]) {
                failures.add(new CheckFailure(file, diagnostic.line(), "unexpected " + diagnostic.kind().spelling()
                        + unknownLocation(diagnostic.line()) + ": \"" + diagnostic.message() + "\""));
            }
        }
        failures.sort(Comparator.comparingInt(CheckFailure::line));
        return new CheckResult(failures);
    }

    /** Says what was missing and what came closest: another message on that line, or this one elsewhere. */
    private static CheckFailure unmetFailure(String file, ExpectedDiagnostic expectation, List<ActualDiagnostic> actual) {
        String kind = expectation.kind().spelling();
        var message = new StringBuilder("expected " + kind + unknownLocation(expectation.line()) + " containing \""
                + expectation.message() + "\" was not reported");
        if (expectation.annotationLine() != expectation.line() && expectation.line() != ExpectedDiagnostic.UNKNOWN_LINE) {
            message.append(" (annotation on line ").append(expectation.annotationLine()).append(')');
        }
        for (ActualDiagnostic diagnostic : actual) {
            if (diagnostic.line() == expectation.line()) {
                message.append("\n  reported on that line: ").append(diagnostic.kind().spelling())
                        .append(" \"").append(diagnostic.message()).append('"');
            } else if (diagnostic.kind() == expectation.kind() && diagnostic.message().contains(expectation.message())) {
                String where = diagnostic.line() == ExpectedDiagnostic.UNKNOWN_LINE
                        ? " at an unknown location" : " on line " + diagnostic.line();
                message.append("\n  a matching ").append(kind).append(" was reported").append(where)
                        .append(" instead: \"").append(diagnostic.message()).append('"');
            }
        }
        return new CheckFailure(file, expectation.line() == ExpectedDiagnostic.UNKNOWN_LINE
                ? expectation.annotationLine() : expectation.line(), message.toString());
    }

    /** The failure's file:line prefix already says where, except for a diagnostic without a location. */
    private static String unknownLocation(int line) {
        return line == ExpectedDiagnostic.UNKNOWN_LINE ? " at an unknown location" : "";
    }
}
