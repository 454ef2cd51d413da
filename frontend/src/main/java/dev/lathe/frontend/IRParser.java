package dev.lathe.frontend;

import dev.lathe.frontend.LatheIRParser.FileContext;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Reads Lathe IR text (MLIR syntax, as {@link dev.lathe.ir.IRPrinter} writes it) into a
 * {@link Module}. {@code print(parse(print(m))) == print(m)} holds for every module.
 *
 * <p>Every problem is reported as a {@link DiagnosticException} whose diagnostics are located
 * at {@code fileName:line:column} (1-based) and say what was expected and what was found. The
 * parser checks what the text itself states (operand counts and types against the written
 * signatures, names defined before use, literals that fit their types); the
 * {@link dev.lathe.ir.Verifier} checks the rest and is not run here.
 */
public final class IRParser {

    private IRParser() {}

    /** Parses {@code text}; {@code fileName} names it in locations and diagnostics. */
    public static Module parse(String text, String fileName) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(fileName, "fileName");
        Problems problems = new Problems(fileName);
        try {
            FileContext tree = parseTree(text, fileName);
            Module module = new ModuleBuilder(problems).build(tree);
            problems.throwIfAny();
            return module;
        } catch (DiagnosticException e) {
            throw e;
        } catch (StackOverflowError e) {
            throw new DiagnosticException(Diagnostic.error(Location.of(fileName, 1, 1),
                    "the text nests regions, lists or types too deeply to parse"));
        } catch (RuntimeException e) { // a bug here must still read as a diagnostic, not a stack trace
            throw new DiagnosticException(Diagnostic.error(Location.of(fileName, 1, 1),
                    "internal error in the IR parser: " + e));
        }
    }

    /** Parses a UTF-8 file, named in diagnostics by its path as given. */
    public static Module parseFile(Path path) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    /**
     * Fast SLL prediction first; only when it fails is the input parsed again with full LL, whose
     * failure is a real syntax error and is reported.
     */
    private static FileContext parseTree(String text, String fileName) {
        LatheIRLexer lexer = new LatheIRLexer(CharStreams.fromString(text, fileName));
        lexer.removeErrorListeners(); // every character forms a token; bad ones are reported by the parser
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        LatheIRParser parser = new LatheIRParser(tokens);
        parser.removeErrorListeners();
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        try {
            return parser.file();
        } catch (ParseCancellationException sllFailed) {
            tokens.seek(0);
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new SyntaxErrorStrategy(fileName));
            return parser.file();
        }
    }
}
