package dev.lathe.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A directive's pattern in FileCheck syntax: literal text, {@code {{regex}}}, variable definitions
 * {@code [[NAME:regex]]} and uses {@code [[NAME]]}, and {@code [[@LINE+n]]}. It becomes a Java
 * regex only when matched, because a use stands for the variable's value at that moment.
 */
final class CheckPattern {
    sealed interface Piece permits Literal, Regex, Define, Use {}

    record Literal(String text) implements Piece {}

    record Regex(String regex) implements Piece {}

    record Define(String name, String regex) implements Piece {}

    record Use(String name) implements Piece {}

    private static final Pattern VARIABLE_NAME = Pattern.compile("\\$?[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LINE_OFFSET = Pattern.compile("[+-][0-9]+");

    private final CheckDirective directive;
    private final List<Piece> pieces;
    /** Compiled once when no variable is used; otherwise null and compiled per match. */
    private final Pattern fixedRegex;

    private CheckPattern(CheckDirective directive, List<Piece> pieces) {
        this.directive = directive;
        this.pieces = List.copyOf(pieces);
        boolean usesVariables = pieces.stream().anyMatch(p -> p instanceof Use);
        // Compiling now, with placeholder values, reports a bad regex at its directive's line.
        Pattern compiled = compile(name -> "");
        this.fixedRegex = usesVariables ? null : compiled;
    }

    static CheckPattern parse(CheckDirective directive) {
        return new CheckPattern(directive, new PieceParser(directive).parse());
    }

    CheckDirective directive() {
        return directive;
    }

    CheckKind kind() {
        return directive.kind();
    }

    List<Piece> pieces() {
        return pieces;
    }

    /** Variables whose value the pattern needs, i.e. used before this pattern itself defines them. */
    Set<String> usedVariables() {
        var used = new LinkedHashSet<String>();
        var definedHere = new HashSet<String>();
        for (Piece piece : pieces) {
            if (piece instanceof Define d) definedHere.add(d.name());
            if (piece instanceof Use u && !definedHere.contains(u.name())) used.add(u.name());
        }
        return used;
    }

    /** The regex to search for, with each used variable's current value as literal text. */
    Pattern regex(Map<String, String> variables) {
        return fixedRegex != null ? fixedRegex : compile(variables::get);
    }

    /** The values this pattern's definitions captured in {@code match}; a later definition wins. */
    Map<String, String> captures(MatchResult match) {
        var captured = new HashMap<String, String>();
        int group = 0;
        for (Piece piece : pieces) {
            if (piece instanceof Define d) captured.put(d.name(), match.group(groupName(group++)));
        }
        return captured;
    }

    private Pattern compile(Function<String, String> valueOf) {
        var regex = new StringBuilder();
        var groupOfVariable = new HashMap<String, String>();
        int groups = 0;
        for (Piece piece : pieces) {
            switch (piece) {
                case Literal literal -> regex.append(literalRegex(literal.text()));
                // The group keeps an alternation like {{a|b}} from swallowing its neighbours.
                case Regex r -> regex.append("(?:").append(r.regex()).append(')');
                case Define d -> {
                    String group = groupName(groups++);
                    regex.append("(?<").append(group).append('>').append(d.regex()).append(')');
                    groupOfVariable.put(d.name(), group);
                }
                case Use u -> {
                    // A variable defined earlier in this same pattern is a backreference.
                    String group = groupOfVariable.get(u.name());
                    regex.append(group != null ? "\\k<" + group + ">" : literalRegex(valueOf.apply(u.name())));
                }
            }
        }
        try {
            return Pattern.compile(regex.toString(), Pattern.MULTILINE);
        } catch (PatternSyntaxException e) {
            throw new CheckSyntaxException(directive.file(), directive.line(),
                    directive.name() + ": invalid regex in pattern \"" + directive.pattern() + "\": "
                            + e.getDescription() + " near \"" + e.getPattern() + "\"");
        }
    }

    private static String groupName(int index) {
        return "lathecapture" + index;
    }

    /** Literal text as a regex in which any run of spaces and tabs matches any other such run. */
    static String literalRegex(String text) {
        var regex = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            boolean space = isHorizontalSpace(text.charAt(i));
            int j = i;
            while (j < text.length() && isHorizontalSpace(text.charAt(j)) == space) j++;
            regex.append(space ? "[ \\t]+" : Pattern.quote(text.substring(i, j)));
            i = j;
        }
        return regex.toString();
    }

    static boolean isHorizontalSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** Splits pattern text into pieces, reporting syntax errors at the directive's line. */
    private static final class PieceParser {
        private final CheckDirective directive;
        private final String text;
        private final List<Piece> pieces = new ArrayList<>();
        private final StringBuilder literal = new StringBuilder();

        PieceParser(CheckDirective directive) {
            this.directive = directive;
            this.text = directive.pattern();
        }

        List<Piece> parse() {
            int i = 0;
            while (i < text.length()) {
                if (text.startsWith("{{", i)) {
                    i = parseRegex(i);
                } else if (text.startsWith("[[", i)) {
                    i = parseVariable(i);
                } else {
                    literal.append(text.charAt(i++));
                }
            }
            flushLiteral();
            return pieces;
        }

        private int parseRegex(int open) {
            int close = text.indexOf("}}", open + 2);
            if (close < 0) throw error("unterminated {{ at column " + (open + 1) + ": no closing }}");
            // In {{a{2}}} the regex ends at the last of the closing braces.
            while (close + 2 < text.length() && text.charAt(close + 2) == '}') close++;
            String regex = text.substring(open + 2, close);
            if (regex.isEmpty()) throw error("empty {{}} regex");
            flushLiteral();
            pieces.add(new Regex(regex));
            return close + 2;
        }

        private int parseVariable(int open) {
            int close = variableEnd(open + 2);
            if (close < 0) {
                throw error("unterminated [[ at column " + (open + 1)
                        + ": no closing ]]; to match a literal \"[[\" write {{\\[\\[}}");
            }
            String body = text.substring(open + 2, close);
            if (body.startsWith("#")) {
                throw error("numeric substitution [[" + body + "]] is not supported; capture text with [[NAME:regex]]");
            }
            if (body.startsWith("@LINE")) {
                literal.append(lineReference(body));
                return close + 2;
            }
            int colon = body.indexOf(':');
            String name = colon < 0 ? body : body.substring(0, colon);
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw error("invalid variable name \"" + name + "\" in [[" + body
                        + "]]; to match a literal \"[[\" write {{\\[\\[}}");
            }
            flushLiteral();
            pieces.add(colon < 0 ? new Use(name) : new Define(name, body.substring(colon + 1)));
            return close + 2;
        }

        /** Index of the {@code ]]} closing a variable, skipping brackets of a character class. */
        private int variableEnd(int from) {
            int depth = 0;
            for (int i = from; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    if (depth > 0) depth--;
                    else if (i + 1 < text.length() && text.charAt(i + 1) == ']') return i;
                }
            }
            return -1;
        }

        private String lineReference(String body) {
            String offset = body.substring("@LINE".length());
            if (offset.isEmpty()) return String.valueOf(directive.line());
            if (!LINE_OFFSET.matcher(offset).matches()) throw error("malformed [[" + body + "]]; write [[@LINE+1]]");
            return String.valueOf(directive.line() + Integer.parseInt(offset));
        }

        private void flushLiteral() {
            if (!literal.isEmpty()) pieces.add(new Literal(literal.toString()));
            literal.setLength(0);
        }

        private CheckSyntaxException error(String message) {
            return new CheckSyntaxException(directive.file(), directive.line(), directive.name() + ": " + message);
        }
    }
}
