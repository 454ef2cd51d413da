package dev.lathe.testing;

import java.util.List;

/**
 * LLVM FileCheck for Lathe's tests: check directives parsed from text and matched against a
 * tool's output. Supported: {@code CHECK}, {@code -NEXT}, {@code -SAME}, {@code -NOT},
 * {@code -LABEL}, {@code -DAG} and {@code -EMPTY}; patterns with {@code {{regex}}} (Java regex
 * syntax), {@code [[NAME:regex]]} captures, {@code [[NAME]]} uses and {@code [[@LINE+n]]};
 * flexible horizontal whitespace; variables scoped to their CHECK-LABEL block unless named
 * {@code $NAME} (FileCheck's {@code --enable-var-scope}).
 *
 * <pre>{@code
 * FileCheck.parse("passes/cse.lir", checkText).assertMatches(output);
 * }</pre>
 */
public final class FileCheck {
    public static final String DEFAULT_PREFIX = "CHECK";

    private final String file;
    private final List<String> prefixes;
    private final List<CheckPattern> patterns;

    private FileCheck(String file, List<String> prefixes, List<CheckPattern> patterns) {
        this.file = file;
        this.prefixes = List.copyOf(prefixes);
        this.patterns = List.copyOf(patterns);
    }

    /** Parses the {@code CHECK} directives of {@code checkText}. */
    public static FileCheck parse(String file, String checkText) {
        return parse(file, checkText, List.of(DEFAULT_PREFIX));
    }

    /**
     * Parses the directives with any of {@code prefixes}, as FileCheck's {@code --check-prefixes}.
     *
     * @throws CheckSyntaxException for a malformed directive, naming its file and line
     */
    public static FileCheck parse(String file, String checkText, List<String> prefixes) {
        if (prefixes.isEmpty()) throw new IllegalArgumentException("no check prefixes given");
        return new FileCheck(file, prefixes, CheckFileParser.parse(file, checkText, prefixes));
    }

    public String file() {
        return file;
    }

    public List<CheckDirective> directives() {
        return patterns.stream().map(CheckPattern::directive).toList();
    }

    /**
     * Matches every directive against {@code input}.
     *
     * @throws CheckSyntaxException when there are no directives, since a check that checks
     *                              nothing would pass by mistake
     */
    public CheckResult check(String input) {
        if (patterns.isEmpty()) {
            throw new CheckSyntaxException(file, "no check strings found with prefix " + String.join(" or ", prefixes)
                    + ": write a line like \"// " + prefixes.getFirst() + ": ...\"");
        }
        return new CheckResult(CheckMatcher.match(patterns, input));
    }

    /** {@link #check} and throw an {@link AssertionError} listing every failure. */
    public void assertMatches(String input) {
        check(input).assertPassed();
    }
}
