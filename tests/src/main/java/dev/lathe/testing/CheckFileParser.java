package dev.lathe.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the directives in a check file the way FileCheck does: a prefix anywhere on a line, not
 * inside a word, then a suffix such as {@code -NEXT} and a colon. Then checks what FileCheck would
 * only discover while matching (order, variable scope), so mistakes surface before any input does.
 */
final class CheckFileParser {
    /** Lines carrying these directives are comments, so a RUN line's "%s" never becomes a check. */
    private static final List<String> COMMENT_PREFIXES = List.of("COM", "RUN");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern SUFFIX_WORD = Pattern.compile("-[A-Za-z]+");

    private final String file;
    private final List<String> prefixes;

    private CheckFileParser(String file, List<String> prefixes) {
        this.file = file;
        for (String prefix : prefixes) {
            if (!PREFIX.matcher(prefix).matches()) throw new IllegalArgumentException("invalid check prefix \"" + prefix + "\"");
        }
        // Longest first, so CHECK-FOO is not read as prefix CHECK with an unknown suffix.
        this.prefixes = prefixes.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    static List<CheckPattern> parse(String file, String text, List<String> prefixes) {
        var parser = new CheckFileParser(file, prefixes);
        var directives = new ArrayList<CheckDirective>();
        List<String> lines = new InputText(text).lines();
        for (int i = 0; i < lines.size(); i++) {
            CheckDirective directive = parser.directiveOn(lines.get(i), i + 1);
            if (directive != null) directives.add(directive);
        }
        return validate(directives);
    }

    /** The directive on {@code line}, or null when it holds none. */
    private CheckDirective directiveOn(String line, int lineNumber) {
        for (int at = 0; at < line.length(); at++) {
            if (at > 0 && isWordChar(line.charAt(at - 1))) continue;
            for (String comment : COMMENT_PREFIXES) {
                if (line.startsWith(comment + ":", at)) return null;
            }
            for (String prefix : prefixes) {
                if (line.startsWith(prefix, at)) {
                    CheckDirective directive = directiveAt(line, lineNumber, at, prefix);
                    if (directive != null) return directive;
                }
            }
        }
        return null;
    }

    /** The directive starting with {@code prefix} at {@code at}, or null if that is just text. */
    private CheckDirective directiveAt(String line, int lineNumber, int at, String prefix) {
        int afterPrefix = at + prefix.length();
        CheckKind kind = CheckKind.PLAIN;
        int colon = afterPrefix;
        var suffix = SUFFIX_WORD.matcher(line).region(afterPrefix, line.length());
        if (suffix.lookingAt()) {
            String name = prefix + suffix.group();
            kind = CheckKind.fromSuffix(suffix.group());
            colon = suffix.end();
            boolean hasColon = colon < line.length() && line.charAt(colon) == ':';
            if (hasColon && kind == null) {
                throw new CheckSyntaxException(file, lineNumber, "unknown directive " + name + ":; known suffixes are "
                        + "-NEXT, -SAME, -NOT, -LABEL, -DAG and -EMPTY");
            }
            if (!hasColon && kind != null && startsComment(line, at)) {
                throw new CheckSyntaxException(file, lineNumber,
                        name + " must be followed by ':', as in \"// " + name + ": ...\"");
            }
        }
        if (kind == null || colon >= line.length() || line.charAt(colon) != ':') return null;
        String pattern = line.substring(colon + 1).strip();
        return new CheckDirective(file, lineNumber, prefix, kind, pattern);
    }

    /** Whether only a comment opener precedes {@code at}, where a misspelt directive is no prose. */
    private static boolean startsComment(String line, int at) {
        String before = line.substring(0, at).strip();
        return before.isEmpty() || before.equals("//") || before.equals("#") || before.equals(";");
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }

    /** Directive-order rules and variable scope, checked statically with file:line messages. */
    private static List<CheckPattern> validate(List<CheckDirective> directives) {
        var patterns = new ArrayList<CheckPattern>();
        // The label block (count of CHECK-LABELs so far) and line where each variable was defined.
        Map<String, Integer> definedInBlock = new HashMap<>();
        Map<String, Integer> definedAtLine = new HashMap<>();
        int block = 0;
        boolean hadPositive = false;
        for (CheckDirective directive : directives) {
            CheckKind kind = directive.kind();
            if (kind == CheckKind.EMPTY && !directive.pattern().isEmpty()) {
                throw error(directive, "takes no pattern; put the text on a " + directive.prefix() + "-NEXT: line");
            }
            if (kind != CheckKind.EMPTY && directive.pattern().isEmpty()) {
                throw error(directive, "empty pattern; to check for an empty line use " + directive.prefix() + "-EMPTY:");
            }
            if (kind.followsPreviousMatch() && !hadPositive) {
                throw error(directive, "has no previous match to follow; put a " + directive.prefix() + ": or "
                        + directive.prefix() + "-LABEL: line before it");
            }
            if (kind == CheckKind.LABEL) block++;
            if (kind != CheckKind.NOT && kind != CheckKind.DAG) hadPositive = true;

            CheckPattern pattern = CheckPattern.parse(directive);
            Set<String> definedHere = new HashSet<>();
            for (CheckPattern.Piece piece : pattern.pieces()) {
                if (piece instanceof CheckPattern.Define define) {
                    if (kind == CheckKind.NOT) {
                        throw error(directive, "cannot define [[" + define.name() + "]]; a NOT never matches");
                    }
                    definedHere.add(define.name());
                } else if (piece instanceof CheckPattern.Use use && !definedHere.contains(use.name())) {
                    Integer definedIn = definedInBlock.get(use.name());
                    if (definedIn == null) {
                        throw error(directive, "[[" + use.name() + "]] uses a variable that no earlier directive "
                                + "defines; define it with [[" + use.name() + ":regex]]");
                    }
                    if (definedIn != block && !use.name().startsWith("$")) {
                        throw error(directive, "[[" + use.name() + "]] was defined at line " + definedAtLine.get(use.name())
                                + ", before a CHECK-LABEL that clears it; name it [[$" + use.name()
                                + "]] to keep it across labels");
                    }
                }
            }
            for (String name : definedHere) {
                definedInBlock.put(name, block);
                definedAtLine.put(name, directive.line());
            }
            patterns.add(pattern);
        }
        return patterns;
    }

    private static CheckSyntaxException error(CheckDirective directive, String message) {
        return new CheckSyntaxException(directive.file(), directive.line(), directive.name() + ": " + message);
    }
}
