package dev.lathe.frontend;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Location;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Located errors found while building IR from the parse tree, reported in text order. */
final class Problems {

    private final String fileName;
    private final List<Diagnostic> errors = new ArrayList<>();

    Problems(String fileName) {
        this.fileName = fileName;
    }

    String fileName() {
        return fileName;
    }

    /** The 1-based position of a token, {@code columnOffset} characters into it. */
    Location at(Token token, int columnOffset) {
        return Location.of(fileName, token.getLine(), token.getCharPositionInLine() + 1 + columnOffset);
    }

    Location at(Token token) {
        return at(token, 0);
    }

    Location at(TerminalNode node) {
        return at(node.getSymbol(), 0);
    }

    Location at(ParserRuleContext ctx) {
        return at(ctx.getStart(), 0);
    }

    void error(Location where, String message) {
        errors.add(Diagnostic.error(where, message));
    }

    void record(ParseFailure failure) {
        errors.add(failure.diagnostic());
    }

    /** An error that abandons what is being built; throw the result. */
    ParseFailure fail(Location where, String message) {
        return new ParseFailure(Diagnostic.error(where, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws every recorded error, sorted by position, if there is any. */
    void throwIfAny() {
        if (errors.isEmpty()) {
            return;
        }
        List<Diagnostic> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Problems::column));
        throw new DiagnosticException(sorted);
    }

    private static int column(Diagnostic d) {
        return d.location() instanceof Location.FileLineCol f ? f.column() : 0;
    }

    /** A token's text for a message: quoted, and shortened when it is long (a hex blob). */
    static String quoteForMessage(String text) {
        String t = text.length() > 40 ? text.substring(0, 37) + "..." : text;
        return "'" + t + "'";
    }
}
