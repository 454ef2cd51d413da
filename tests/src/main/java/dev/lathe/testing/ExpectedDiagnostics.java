package dev.lathe.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads MLIR {@code -verify-diagnostics} annotations out of one case:
 * {@code expected-error {{text}}} points at its own line (it may end a code line),
 * {@code @+N}/{@code @-N} at a line relative to it, {@code @above}/{@code @below} at the nearest
 * line above/below that holds no annotation, and {@code @unknown} at no location.
 */
final class ExpectedDiagnostics {
    /** Something that starts like an annotation; if the rest is malformed we say so, not ignore it. */
    private static final Pattern ATTEMPT = Pattern.compile("expected-(error|warning|note|remark)(-re)?\\s*(@|\\{\\{)");
    private static final Pattern ANNOTATION = Pattern.compile(
            "expected-(error|warning|note|remark)\\s*(?:@(above|below|unknown|[+-][0-9]+)\\s*)?\\{\\{(.*)}}\\s*$");

    /** An {@code @below} annotation waiting for the line it points at. */
    private record Below(DiagnosticKind kind, String message, int annotationLine) {}

    private ExpectedDiagnostics() {}

    /** The annotations in {@code lines}, which start at file line {@code startLine}. */
    static List<ExpectedDiagnostic> parse(String file, int startLine, List<String> lines) {
        var expected = new ArrayList<ExpectedDiagnostic>();
        var waitingForBelow = new ArrayList<Below>();
        int lastPlainLine = 0;
        int endLine = startLine + lines.size() - 1;
        for (int i = 0; i < lines.size(); i++) {
            int line = startLine + i;
            Matcher attempt = ATTEMPT.matcher(lines.get(i));
            if (!attempt.find()) {
                for (Below below : waitingForBelow) {
                    expected.add(new ExpectedDiagnostic(below.kind(), line, below.message(), below.annotationLine()));
                }
                waitingForBelow.clear();
                lastPlainLine = line;
                continue;
            }
            Matcher annotation = ANNOTATION.matcher(lines.get(i)).region(attempt.start(), lines.get(i).length());
            if (attempt.group(2) != null) {
                throw new CheckSyntaxException(file, line, "expected-" + attempt.group(1) + "-re is not supported; "
                        + "use expected-" + attempt.group(1) + " {{substring}}");
            }
            if (!annotation.lookingAt()) {
                throw new CheckSyntaxException(file, line, "malformed annotation; write expected-" + attempt.group(1)
                        + " {{message}}, optionally with @+N, @-N, @above, @below or @unknown before the {{");
            }
            String designator = annotation.group(2);
            if ("below".equals(designator)) {
                waitingForBelow.add(new Below(DiagnosticKind.parse(annotation.group(1)), annotation.group(3), line));
                continue;
            }
            int target = switch (designator == null ? "" : designator) {
                case "" -> line;
                case "unknown" -> ExpectedDiagnostic.UNKNOWN_LINE;
                case "above" -> {
                    if (lastPlainLine == 0) {
                        throw new CheckSyntaxException(file, line, "@above has no line above it in this case");
                    }
                    yield lastPlainLine;
                }
                default -> line + Integer.parseInt(designator);
            };
            if (target != ExpectedDiagnostic.UNKNOWN_LINE && (target < startLine || target > endLine)) {
                throw new CheckSyntaxException(file, line, "@" + designator + " points at line " + target
                        + ", outside this case (lines " + startLine + "-" + endLine + ")");
            }
            expected.add(new ExpectedDiagnostic(DiagnosticKind.parse(annotation.group(1)), target, annotation.group(3), line));
        }
        if (!waitingForBelow.isEmpty()) {
            throw new CheckSyntaxException(file, waitingForBelow.getFirst().annotationLine(),
                    "@below has no line below it in this case");
        }
        expected.sort(Comparator.comparingInt(ExpectedDiagnostic::annotationLine));
        return expected;
    }
}
