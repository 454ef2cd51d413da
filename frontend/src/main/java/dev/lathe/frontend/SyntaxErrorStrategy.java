package dev.lathe.frontend;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Location;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Stops at the first syntax error and reports it as a located diagnostic worded like a compiler's:
 * {@code expected ',' or ')' in operand list, found '{'}. Tokens are named by their text; tokens
 * that are errors by themselves (an unterminated string, a stray character) say so.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {

    /** Above this many expected tokens, the message names the kind of thing expected instead. */
    private static final int MAX_LISTED = 4;

    /** Rules whose kind ("an attribute value") already says where the error is. */
    private static final java.util.Set<Integer> SELF_DESCRIBING = java.util.Set.of(LatheIRParser.RULE_attrValue,
            LatheIRParser.RULE_type, LatheIRParser.RULE_nonFunctionType, LatheIRParser.RULE_denseBody,
            LatheIRParser.RULE_denseElement, LatheIRParser.RULE_opForm);

    private static final java.util.Set<String> CLOSERS = java.util.Set.of("')'", "'}'", "']'", "'>'", "end of file");

    private final String fileName;

    SyntaxErrorStrategy(String fileName) {
        this.fileName = fileName;
    }

    @Override
    public void reportError(Parser recognizer, RecognitionException e) {
        Token found = e.getOffendingToken() != null ? e.getOffendingToken() : recognizer.getCurrentToken();
        IntervalSet expected = e.getExpectedTokens();
        if (expected == null || expected.isNil()) {
            expected = recognizer.getExpectedTokens();
        }
        throw error(recognizer, found, expected);
    }

    @Override
    public void recover(Parser recognizer, RecognitionException e) {
        throw error(recognizer, recognizer.getCurrentToken(), recognizer.getExpectedTokens());
    }

    @Override
    public Token recoverInline(Parser recognizer) {
        // Where a loop or optional part was skipped just before, its state knows more of what was expected.
        reportError(recognizer, nextTokensContext == null ? new InputMismatchException(recognizer)
                : new InputMismatchException(recognizer, nextTokensState, nextTokensContext));
        return null; // not reached
    }

    /**
     * Detects an error at the start of a loop or optional part, where the expected set is
     * complete, as {@link DefaultErrorStrategy#sync} does; then reports it instead of recovering.
     */
    @Override
    public void sync(Parser recognizer) {
        ATNState s = recognizer.getInterpreter().atn.states.get(recognizer.getState());
        IntervalSet next = recognizer.getATN().nextTokens(s);
        if (next.contains(recognizer.getInputStream().LA(1))) {
            nextTokensContext = null;
            nextTokensState = ATNState.INVALID_STATE_NUMBER;
            return;
        }
        if (next.contains(Token.EPSILON)) {
            if (nextTokensContext == null) {
                nextTokensContext = recognizer.getContext();
                nextTokensState = recognizer.getState();
            }
            return;
        }
        switch (s.getStateType()) {
            case ATNState.BLOCK_START, ATNState.STAR_BLOCK_START, ATNState.PLUS_BLOCK_START,
                    ATNState.STAR_LOOP_ENTRY, ATNState.PLUS_LOOP_BACK, ATNState.STAR_LOOP_BACK ->
                    throw error(recognizer, recognizer.getCurrentToken(), recognizer.getExpectedTokens());
            default -> { }
        }
    }

    private DiagnosticException error(Parser recognizer, Token found, IntervalSet expected) {
        Location where = Location.of(fileName, Math.max(found.getLine(), 1), found.getCharPositionInLine() + 1);
        return new DiagnosticException(Diagnostic.error(where, message(recognizer, found, expected)));
    }

    static String message(Parser recognizer, Token found, IntervalSet expected) {
        String text = found.getText() == null ? "" : found.getText();
        switch (found.getType()) {
            case LatheIRLexer.UNTERMINATED_STRING:
                return "unterminated string " + Problems.quoteForMessage(text)
                        + ": expected '\"' before the end of the line";
            case LatheIRLexer.UNTERMINATED_TENSOR:
                return "unterminated tensor type " + Problems.quoteForMessage(text)
                        + ": expected dimensions, an element type and '>'";
            case LatheIRLexer.UNEXPECTED_CHAR:
                return "unexpected character " + Problems.quoteForMessage(text);
            default:
                break;
        }
        ParserRuleContext ctx = recognizer.getContext();
        int rule = ctx == null ? -1 : ctx.getRuleIndex();
        String kind = expected.size() > MAX_LISTED || rule == LatheIRParser.RULE_opForm ? kind(rule) : null;
        String what = kind == null ? listed(recognizer.getVocabulary(), expected)
                : kind.equals("an operation") && expectsLiteral(recognizer, expected, "'}'") ? kind + " or '}'" : kind;
        String context = kind != null && SELF_DESCRIBING.contains(rule) ? "" : context(rule);
        String foundText = found.getType() == Token.EOF ? "end of file" : Problems.quoteForMessage(text);
        String hint = "an operation".equals(kind) && found.getType() == LatheIRLexer.BARE_ID && text.contains(".")
                ? " (the generic form quotes op names: \"" + text + "\")" : "";
        return "expected " + what + context + ", found " + foundText + hint;
    }

    private static boolean expectsLiteral(Parser recognizer, IntervalSet expected, String literal) {
        for (int t : expected.toList()) {
            if (literal.equals(recognizer.getVocabulary().getLiteralName(t))) {
                return true;
            }
        }
        return false;
    }

    private static String listed(Vocabulary vocabulary, IntervalSet expected) {
        List<String> names = new ArrayList<>();
        boolean type = expected.contains(LatheIRLexer.TENSOR_TYPE) && expected.contains(LatheIRLexer.BARE_ID);
        for (int t : expected.toList()) {
            if (type && (t == LatheIRLexer.TENSOR_TYPE || t == LatheIRLexer.BARE_ID)) {
                if (t == LatheIRLexer.TENSOR_TYPE) {
                    names.add("a type");
                }
            } else {
                names.add(tokenName(vocabulary, t));
            }
        }
        // Closing tokens read best last: "expected ',' or ')'".
        names.sort(java.util.Comparator.comparing(n -> CLOSERS.contains(n)));
        if (names.isEmpty()) {
            return "something else";
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    static String tokenName(Vocabulary vocabulary, int type) {
        return switch (type) {
            case Token.EOF -> "end of file";
            case LatheIRLexer.TENSOR_TYPE -> "a tensor type";
            case LatheIRLexer.FLOAT -> "a float";
            case LatheIRLexer.HEX_INT -> "a hex integer";
            case LatheIRLexer.INT -> "an integer";
            case LatheIRLexer.STRING -> "a string";
            case LatheIRLexer.VALUE_ID -> "a value name (%x)";
            case LatheIRLexer.BLOCK_ID -> "a block label (^bb0)";
            case LatheIRLexer.SYMBOL -> "a symbol (@name)";
            case LatheIRLexer.BARE_ID -> "an identifier";
            default -> {
                String literal = vocabulary.getLiteralName(type);
                yield literal != null ? literal : vocabulary.getDisplayName(type);
            }
        };
    }

    /** What a rule starts with, for messages where listing every token would be noise. */
    private static String kind(int rule) {
        return switch (rule) {
            case LatheIRParser.RULE_file, LatheIRParser.RULE_moduleOp, LatheIRParser.RULE_region,
                    LatheIRParser.RULE_block, LatheIRParser.RULE_operation, LatheIRParser.RULE_opForm ->
                    "an operation";
            case LatheIRParser.RULE_attrValue, LatheIRParser.RULE_attrEntry -> "an attribute value";
            case LatheIRParser.RULE_type, LatheIRParser.RULE_nonFunctionType, LatheIRParser.RULE_functionType,
                    LatheIRParser.RULE_resultTypes, LatheIRParser.RULE_funcArgs -> "a type";
            case LatheIRParser.RULE_denseBody, LatheIRParser.RULE_denseElement -> "a dense element";
            case LatheIRParser.RULE_attrKey, LatheIRParser.RULE_resourceKey, LatheIRParser.RULE_bareWord ->
                    "a name";
            default -> null;
        };
    }

    /** Where in the syntax the error is, as a phrase that follows the expected tokens. */
    private static String context(int rule) {
        return switch (rule) {
            case LatheIRParser.RULE_file -> " at top level";
            case LatheIRParser.RULE_moduleOp -> " in module";
            case LatheIRParser.RULE_resultDecl -> " after result name";
            case LatheIRParser.RULE_funcOp, LatheIRParser.RULE_funcArgs, LatheIRParser.RULE_namedArg -> " in func.func";
            case LatheIRParser.RULE_returnOp -> " in func.return";
            case LatheIRParser.RULE_callOp -> " in func.call";
            case LatheIRParser.RULE_operation, LatheIRParser.RULE_opForm, LatheIRParser.RULE_genericOp ->
                    " in operation";
            case LatheIRParser.RULE_operandList -> " in operand list";
            case LatheIRParser.RULE_regionList -> " in region list";
            case LatheIRParser.RULE_region -> " in region";
            case LatheIRParser.RULE_block -> " in block";
            case LatheIRParser.RULE_blockArgs -> " in block arguments";
            case LatheIRParser.RULE_location -> " in location";
            case LatheIRParser.RULE_type, LatheIRParser.RULE_nonFunctionType -> " in type";
            case LatheIRParser.RULE_functionType, LatheIRParser.RULE_resultTypes -> " in function type";
            case LatheIRParser.RULE_attrDict, LatheIRParser.RULE_attrEntry, LatheIRParser.RULE_attrKey ->
                    " in attribute dictionary";
            case LatheIRParser.RULE_attrValue -> " in attribute value";
            case LatheIRParser.RULE_denseBody, LatheIRParser.RULE_denseElement -> " in dense literal";
            case LatheIRParser.RULE_resourceSection, LatheIRParser.RULE_resourceDialect,
                    LatheIRParser.RULE_resourceEntry, LatheIRParser.RULE_resourceKey -> " in resource section";
            default -> "";
        };
    }
}
