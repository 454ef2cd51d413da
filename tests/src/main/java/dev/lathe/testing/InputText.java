package dev.lathe.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text indexed by line, so that matching, failures and excerpts can all speak in 1-based line
 * numbers. A final newline ends the last line rather than starting an empty one, and a {@code \r}
 * before a newline is not part of the line.
 */
final class InputText {
    private static final int MAX_SHOWN_LINE_LENGTH = 160;

    private final String text;
    private final int[] lineStarts;

    InputText(String text) {
        this.text = text;
        int count = 1;
        for (int i = 0; i < text.length() - 1; i++) {
            if (text.charAt(i) == '\n') count++;
        }
        lineStarts = new int[count];
        int line = 1;
        for (int i = 0; i < text.length() - 1; i++) {
            if (text.charAt(i) == '\n') lineStarts[line++] = i + 1;
        }
    }

    int length() {
        return text.length();
    }

    int lineCount() {
        return lineStarts.length;
    }

    int lineStart(int line) {
        return lineStarts[line - 1];
    }

    /** Offset just past the line's last character, before its {@code \n} and any {@code \r}. */
    int lineEnd(int line) {
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (line == lineStarts.length && text.endsWith("\n")) end--;
        if (end > lineStart(line) && text.charAt(end - 1) == '\r') end--;
        return end;
    }

    /** The line holding {@code offset}; an offset at a line's end (its newline) belongs to that line. */
    int lineOf(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return i >= 0 ? i + 1 : -i - 1;
    }

    String line(int line) {
        return text.substring(lineStart(line), lineEnd(line));
    }

    List<String> lines() {
        var lines = new ArrayList<String>(lineCount());
        for (int line = 1; line <= lineCount(); line++) lines.add(line(line));
        return lines;
    }

    /**
     * The first match of {@code pattern} in {@code [from, to)} that lies within one line. Searching
     * line by line keeps {@code \s*} or {@code [^x]*} from running across a line end, as FileCheck's
     * matches never do; transparent bounds still let {@code ^}, {@code $} and {@code \b} see the
     * real line around the searched part.
     */
    MatchResult find(Pattern pattern, int from, int to) {
        Matcher matcher = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        for (int line = lineOf(from); line <= lineCount() && lineStart(line) <= to; line++) {
            int start = Math.max(from, lineStart(line));
            int end = Math.min(lineEnd(line), to);
            if (start <= end && matcher.region(start, end).find()) return matcher.toMatchResult();
        }
        return null;
    }

    /**
     * Numbered input lines for a failure message. Each key is a line to show, its value a one
     * character mark for the gutter ({@code ' '} for none); "..." stands for skipped lines, and a
     * caret under a {@code '>'} line points at {@code caretOffset} when that is not the line start.
     */
    String excerpt(SortedMap<Integer, Character> shown, int caretOffset) {
        if (text.isEmpty()) return "    (the input is empty)\n";
        int width = String.valueOf(shown.lastKey()).length();
        var out = new StringBuilder();
        int previous = -1;
        for (var entry : shown.entrySet()) {
            int line = entry.getKey();
            if (previous != -1 && line > previous + 1) out.append("    ").append(" ".repeat(width)).append(" ...\n");
            String content = line(line);
            String clipped = content.length() > MAX_SHOWN_LINE_LENGTH
                    ? content.substring(0, MAX_SHOWN_LINE_LENGTH) + "..." : content;
            out.append("  ").append(entry.getValue()).append(' ')
                    .append(String.format("%" + width + "d", line)).append(" | ").append(clipped).append('\n');
            int column = caretOffset - lineStart(line);
            if (entry.getValue() == '>' && column > 0 && column <= Math.min(content.length(), MAX_SHOWN_LINE_LENGTH)) {
                // Copy tabs so the caret lines up however the terminal renders them.
                String pad = content.substring(0, column).replaceAll("[^\t]", " ");
                out.append("    ").append(" ".repeat(width)).append(" | ").append(pad).append("^\n");
            }
            previous = line;
        }
        return out.toString();
    }
}
