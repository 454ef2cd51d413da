package dev.lathe.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.MatchResult;

/**
 * Matches check patterns against one input as LLVM FileCheck does. CHECK-LABELs are found first and
 * cut the input into blocks; each block's directives match only inside it, and a failure ends its
 * own block but not the others, so one broken function does not bury the report on the rest.
 */
final class CheckMatcher {
    /** How many input lines a failure shows from where matching began. */
    private static final int SHOWN_LINES = 5;

    private record Span(int start, int end) {}

    private final InputText input;
    private final Map<String, String> variables = new HashMap<>();
    private final List<CheckFailure> failures = new ArrayList<>();

    private CheckMatcher(String input) {
        this.input = new InputText(input);
    }

    static List<CheckFailure> match(List<CheckPattern> patterns, String input) {
        var matcher = new CheckMatcher(input);
        matcher.matchBlocks(splitAtLabels(patterns));
        return matcher.failures;
    }

    /** Block 0 holds the directives before the first label; each later block starts with its label. */
    private static List<List<CheckPattern>> splitAtLabels(List<CheckPattern> patterns) {
        var blocks = new ArrayList<List<CheckPattern>>();
        blocks.add(new ArrayList<>());
        for (CheckPattern pattern : patterns) {
            if (pattern.kind() == CheckKind.LABEL) blocks.add(new ArrayList<>());
            blocks.getLast().add(pattern);
        }
        return blocks;
    }

    private void matchBlocks(List<List<CheckPattern>> blocks) {
        int blockStart = 0;
        int labelSearchFrom = 0;
        for (int b = 0; b < blocks.size(); b++) {
            int blockEnd = input.length();
            if (b + 1 < blocks.size()) {
                // The next label bounds this block; its captures are taken when its own block
                // matches it again. Variables need no clearing at labels: CheckFileParser already
                // rejects any use of a non-$ variable outside the block that defines it.
                CheckPattern label = blocks.get(b + 1).getFirst();
                if (!variablesDefined(label)) return;
                MatchResult found = input.find(label.regex(variables), labelSearchFrom, input.length());
                if (found == null) {
                    reportNotFound(label, labelSearchFrom, input.length(),
                            "checking stops here: without this label the input cannot be split into blocks");
                    return;
                }
                blockEnd = found.start();
                labelSearchFrom = found.end();
            }
            matchBlock(blocks.get(b), blockStart, blockEnd);
            blockStart = blockEnd;
        }
    }

    /** Matches one block's directives in order within {@code [start, end)}, stopping at the first failure. */
    private void matchBlock(List<CheckPattern> block, int start, int end) {
        int position = start;
        var pendingNots = new ArrayList<CheckPattern>();
        int i = 0;
        while (i < block.size()) {
            CheckPattern pattern = block.get(i);
            Span span;
            if (pattern.kind() == CheckKind.NOT) {
                pendingNots.add(pattern);
                i++;
                continue;
            }
            if (pattern.kind() == CheckKind.DAG) {
                int groupEnd = i;
                while (groupEnd < block.size() && block.get(groupEnd).kind() == CheckKind.DAG) groupEnd++;
                span = matchDagGroup(block.subList(i, groupEnd), position, end);
                i = groupEnd;
            } else {
                span = matchPositive(pattern, position, end);
                i++;
            }
            if (span == null || !noneOccur(pendingNots, position, span.start(), end)) return;
            pendingNots.clear();
            position = span.end();
        }
        noneOccur(pendingNots, position, end, end);
    }

    private Span matchPositive(CheckPattern pattern, int from, int to) {
        if (!variablesDefined(pattern)) return null;
        int previousLine = input.lineOf(from);
        if (pattern.kind() == CheckKind.EMPTY) return matchEmptyLine(pattern, previousLine, to);
        MatchResult match = input.find(pattern.regex(variables), from, to);
        if (match == null) {
            reportNotFound(pattern, from, to);
            return null;
        }
        int line = input.lineOf(match.start());
        if (pattern.kind() == CheckKind.NEXT && line != previousLine + 1) {
            reportMisplaced(pattern, from, match, line == previousLine
                    ? "it first occurs on that same line"
                    : "it first occurs on input line " + line + ", " + (line - previousLine) + " lines down",
                    "on the line after the previous match (input line " + previousLine + ")");
            return null;
        }
        if (pattern.kind() == CheckKind.SAME && line != previousLine) {
            reportMisplaced(pattern, from, match, "it first occurs on input line " + line,
                    "on the same line as the previous match (input line " + previousLine + ")");
            return null;
        }
        variables.putAll(pattern.captures(match));
        return new Span(match.start(), match.end());
    }

    private Span matchEmptyLine(CheckPattern pattern, int previousLine, int to) {
        int next = previousLine + 1;
        if (next <= input.lineCount() && input.lineStart(next) <= to && input.line(next).isEmpty()) {
            return new Span(input.lineStart(next), input.lineStart(next));
        }
        var shown = new TreeMap<Integer, Character>(Map.of(previousLine, '>'));
        if (next <= input.lineCount()) shown.put(next, '!');
        report(pattern, "expected an empty line after the previous match (input line " + previousLine + "), but "
                + (next > input.lineCount() ? "the input ends there" : "line " + next + " is not empty"), shown, -1, List.of());
        return null;
    }

    /**
     * Matches a group of consecutive CHECK-DAGs in any order from {@code from}; a match that
     * overlaps one already taken by the group is skipped, so two DAGs never claim the same text.
     * The group spans from its earliest match start to its latest match end.
     */
    private Span matchDagGroup(List<CheckPattern> group, int from, int to) {
        var taken = new ArrayList<Span>();
        for (CheckPattern pattern : group) {
            if (!variablesDefined(pattern)) return null;
            MatchResult match = input.find(pattern.regex(variables), from, to);
            Span overlapped = null;
            while (match != null && (overlapped = overlap(taken, match)) != null) {
                match = input.find(pattern.regex(variables), Math.max(overlapped.end(), match.start() + 1), to);
            }
            if (match == null) {
                if (overlapped == null) reportNotFound(pattern, from, to);
                else reportNotFound(pattern, from, to, "it only occurs where another CHECK-DAG of its group already "
                        + "matched (input line " + input.lineOf(overlapped.start()) + ")");
                return null;
            }
            variables.putAll(pattern.captures(match));
            taken.add(new Span(match.start(), match.end()));
        }
        int start = taken.stream().mapToInt(Span::start).min().orElse(from);
        int end = taken.stream().mapToInt(Span::end).max().orElse(from);
        return new Span(start, end);
    }

    private static Span overlap(List<Span> taken, MatchResult match) {
        for (Span span : taken) {
            boolean sameEmptySpot = span.start() == match.start() && (span.start() == span.end() || match.start() == match.end());
            if (sameEmptySpot || (match.start() < span.end() && span.start() < match.end())) return span;
        }
        return null;
    }

    /** Whether no CHECK-NOT pattern occurs in {@code [from, to)}; reports each one that does. */
    private boolean noneOccur(List<CheckPattern> nots, int from, int to, int blockEnd) {
        boolean clean = true;
        for (CheckPattern pattern : nots) {
            if (!variablesDefined(pattern)) return false;
            MatchResult match = input.find(pattern.regex(variables), from, to);
            if (match == null) continue;
            clean = false;
            int line = input.lineOf(match.start());
            String after = from == 0 ? "the start of the input" : "the previous match (input line " + input.lineOf(from) + ")";
            String before = to == input.length() ? "the end of the input"
                    : (to == blockEnd ? "the next CHECK-LABEL" : "the next match") + " (input line " + input.lineOf(to) + ")";
            var shown = new TreeMap<Integer, Character>();
            addWindow(shown, input.lineOf(from), line);
            shown.put(input.lineOf(from), '>');
            shown.put(line, '!');
            report(pattern, "excluded \"" + pattern.directive().pattern() + "\" occurs on input line " + line
                    + ", between " + after + " and " + before, shown, from, List.of());
        }
        return clean;
    }

    /** Reports, rather than throws, a use of a variable whose defining directive has not matched. */
    private boolean variablesDefined(CheckPattern pattern) {
        var missing = pattern.usedVariables().stream().filter(name -> !variables.containsKey(name)).toList();
        if (missing.isEmpty()) return true;
        CheckDirective directive = pattern.directive();
        failures.add(new CheckFailure(directive.file(), directive.line(), directive.name() + ": [[" + missing.getFirst()
                + "]] has no value here, because the directive that defines it did not match"
                + (directive.kind() == CheckKind.LABEL ? " before this label was searched for" : "")));
        return false;
    }

    private void reportNotFound(CheckPattern pattern, int from, int to, String... notes) {
        int firstLine = input.lineOf(from);
        int lastLine = input.lineOf(Math.max(from, to));
        var shown = new TreeMap<Integer, Character>();
        addWindow(shown, firstLine, Math.min(lastLine, firstLine + SHOWN_LINES - 1));
        shown.put(firstLine, '>');
        var allNotes = new ArrayList<>(List.of(notes));
        int hidden = lastLine - shown.lastKey();
        if (hidden > 0) allNotes.add(hidden + " more input line" + (hidden == 1 ? "" : "s") + " searched but not shown");
        MatchResult elsewhere = input.find(pattern.regex(variables), 0, input.length());
        if (elsewhere != null) {
            int line = input.lineOf(elsewhere.start());
            allNotes.add(elsewhere.start() < from
                    ? "it does occur on input line " + line + ", before where matching began: are the directives out of order?"
                    : "it does occur on input line " + line + ", past the next CHECK-LABEL (input line "
                    + input.lineOf(to) + "); directives only match within their label's block");
        }
        String where = from == 0 ? "in the input" : "after the previous match (input line " + firstLine + ")";
        if (to < input.length()) where += " and before the next CHECK-LABEL (input line " + input.lineOf(to) + ")";
        report(pattern, "\"" + pattern.directive().pattern() + "\" not found " + where, shown, from, allNotes);
    }

    private void reportMisplaced(CheckPattern pattern, int from, MatchResult match, String found, String wanted) {
        int previousLine = input.lineOf(from);
        int line = input.lineOf(match.start());
        var shown = new TreeMap<Integer, Character>();
        addWindow(shown, previousLine, Math.max(line, previousLine + 1));
        shown.put(previousLine, '>');
        shown.put(line, '!');
        report(pattern, "expected \"" + pattern.directive().pattern() + "\" " + wanted + ", but " + found,
                shown, from, List.of());
    }

    /** Adds lines {@code first..last}, or their two ends when that is too many to show. */
    private void addWindow(SortedMap<Integer, Character> shown, int first, int last) {
        last = Math.min(last, input.lineCount());
        for (int line = first; line <= last; line++) {
            if (last - first < SHOWN_LINES || line <= first + 1 || line >= last - 1) shown.put(line, ' ');
        }
    }

    private void report(CheckPattern pattern, String summary, SortedMap<Integer, Character> shown, int caretAt,
                        List<String> notes) {
        CheckDirective directive = pattern.directive();
        var message = new StringBuilder(directive.name()).append(": ").append(summary).append('\n');
        for (String name : pattern.usedVariables()) {
            message.append("  with [[").append(name).append("]] = \"").append(variables.get(name)).append("\"\n");
        }
        message.append("  input").append(legend(shown)).append(":\n").append(input.excerpt(shown, caretAt));
        for (String note : notes) message.append("  note: ").append(note).append('\n');
        failures.add(new CheckFailure(directive.file(), directive.line(), message.toString().stripTrailing()));
    }

    private static String legend(SortedMap<Integer, Character> shown) {
        boolean began = shown.containsValue('>');
        boolean found = shown.containsValue('!');
        if (began && found) return " (> where matching began, ! what was found)";
        return began ? " (> where matching began)" : "";
    }
}
