package dev.lathe.frontend;

import org.antlr.v4.runtime.Token;

/** Decoding of string, integer and symbol tokens; the exact inverses of the printer's forms. */
final class Literals {

    private final Problems problems;

    Literals(Problems problems) {
        this.problems = problems;
    }

    /**
     * The value of a {@code STRING} token: {@code \"}, {@code \\}, {@code \n}, {@code \t} and
     * {@code \XX} (two hex digits, the character with that code) are the escapes, as
     * {@link dev.lathe.ir.attr.StringAttr#quote} writes them.
     */
    String string(Token token) {
        return unquote(token, token.getText(), 0);
    }

    /** The name of a {@code SYMBOL} token: {@code @name} or {@code @"any text"}. */
    String symbol(Token token) {
        String text = token.getText();
        return text.charAt(1) == '"' ? unquote(token, text.substring(1), 1) : text.substring(1);
    }

    private String unquote(Token token, String quoted, int offset) {
        int end = quoted.length() - 1;
        if (quoted.indexOf('\\') < 0) {
            return quoted.substring(1, end);
        }
        StringBuilder sb = new StringBuilder(end);
        for (int i = 1; i < end; i++) {
            char c = quoted.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = quoted.charAt(i + 1);
            switch (e) {
                case '"', '\\' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                default -> {
                    int hi = i + 2 < end ? Character.digit(e, 16) : -1;
                    int lo = hi >= 0 ? Character.digit(quoted.charAt(i + 2), 16) : -1;
                    if (lo < 0) {
                        String seq = quoted.substring(i, Math.min(i + 3, end));
                        throw problems.fail(problems.at(token, offset + i), "invalid escape '" + seq
                                + "' in string; expected \\\", \\\\, \\n, \\t or \\ and two hex digits");
                    }
                    sb.append((char) (hi * 16 + lo));
                    i++;
                }
            }
            i++;
        }
        return sb.toString();
    }

    /** A decimal {@code INT} token as a long. */
    long decimal(Token token) {
        try {
            return Long.parseLong(token.getText());
        } catch (NumberFormatException e) {
            throw problems.fail(problems.at(token), "integer " + Problems.quoteForMessage(token.getText())
                    + " does not fit in 64 bits");
        }
    }

    /** A {@code HEX_INT} token as its 64-bit pattern (up to 16 hex digits). */
    long hex(Token token) {
        String digits = token.getText().substring(2);
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw problems.fail(problems.at(token), "hex integer " + Problems.quoteForMessage(token.getText())
                    + " does not fit in 64 bits");
        }
    }

    /** A decimal {@code INT} that must be a non-negative int (a count or a line number). */
    int smallInt(Token token, String what) {
        long v = decimal(token);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw problems.fail(problems.at(token), what + " must be between 0 and " + Integer.MAX_VALUE
                    + ", found " + token.getText());
        }
        return (int) v;
    }
}
