package dev.lathe.testing;

import java.util.List;

/**
 * One case of a {@code .lir} file: the lines between two {@code // -----} separators.
 *
 * @param fileName  the file's name, for messages
 * @param number    1-based position among the file's chunks (blank chunks count, so the number
 *                  matches what a reader counts in the file)
 * @param startLine 1-based line of the file where the case's first line is
 * @param text      the case's lines, each ending in a newline
 */
public record LirTestCase(String fileName, int number, int startLine, String text) {
    /** The last line of the file that belongs to this case. */
    public int endLine() {
        return startLine + new InputText(text).lineCount() - 1;
    }

    /**
     * The case's text after {@code startLine - 1} blank lines, so that its line N is line N of the
     * file: a parser's locations and the CHECK lines' numbers then agree with the file.
     */
    public String alignedText() {
        return "\n".repeat(startLine - 1) + text;
    }

    /** {@code file:line} of the case, with its first CHECK-LABEL's pattern when it has one. */
    public String displayName() {
        String location = fileName + ":" + startLine;
        for (String line : new InputText(text).lines()) {
            int label = line.indexOf("CHECK-LABEL:");
            if (label >= 0) return location + " " + line.substring(label + "CHECK-LABEL:".length()).strip();
        }
        return location;
    }

    /** The case's {@code CHECK} directives, with line numbers of the file. */
    public FileCheck fileCheck() {
        return fileCheck(List.of(FileCheck.DEFAULT_PREFIX));
    }

    /** The case's directives with any of {@code prefixes}, e.g. from {@link RunLine#checkPrefixes()}. */
    public FileCheck fileCheck(List<String> prefixes) {
        return FileCheck.parse(fileName, alignedText(), prefixes);
    }

    /** Whether the case has any {@code CHECK} directive, i.e. whether its output is to be checked. */
    public boolean hasChecks() {
        return !fileCheck().directives().isEmpty();
    }

    /** The case's {@code expected-error} (and -warning, -note, -remark) annotations. */
    public List<ExpectedDiagnostic> expectedDiagnostics() {
        return ExpectedDiagnostics.parse(fileName, startLine, new InputText(text).lines());
    }

    /** Checks a tool's output for this case against its {@code CHECK} directives. */
    public CheckResult checkOutput(String output) {
        return fileCheck().check(output);
    }

    /** Checks the diagnostics reported for this case, with file line numbers, against its annotations. */
    public CheckResult checkDiagnostics(List<ActualDiagnostic> actual) {
        return DiagnosticCheck.check(fileName, expectedDiagnostics(), actual);
    }
}
