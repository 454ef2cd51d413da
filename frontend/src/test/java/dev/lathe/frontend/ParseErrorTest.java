package dev.lathe.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Location;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input gives located diagnostics that say what was expected and what was found. */
class ParseErrorTest {

    /** Parses {@code text} as {@code t.lir}, which must fail; returns the diagnostics as printed lines. */
    private static List<String> errors(String text) {
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> IRParser.parse(text, "t.lir"));
        for (Diagnostic d : e.diagnostics()) {
            assertTrue(d.location() instanceof Location.FileLineCol f && f.file().equals("t.lir"), d.toString());
        }
        return e.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    private static String firstError(String text) {
        return errors(text).get(0);
    }

    private static String inFunction(String body) {
        return "module {\n  func.func @f(%a: f32, %x: tensor<4xf32>) {\n" + body + "\n    func.return\n  }\n}\n";
    }

    @Test
    void syntaxErrorSaysWhatWasExpectedAndFound() {
        assertEquals("t.lir:3:14: error: expected ',' or ')' in operand list, found '{'",
                firstError(inFunction("    \"x.y\"(%a {k = 1} : (f32) -> ()")));
        assertEquals("t.lir:3:13: error: expected '{', ':' or '(' in operation, found '->'",
                firstError(inFunction("    \"x.y\"() -> f32")));
        assertEquals("t.lir:2:18: error: expected ',' or '}' in attribute dictionary, found 'b'",
                firstError("module {\n  \"x.y\"() {a = 1 b = 2} : () -> ()\n}\n"));
    }

    @Test
    void unquotedGenericOpNameGetsAHint() {
        assertEquals("t.lir:2:3: error: expected an operation or '}' in module, found 'x.y'"
                + " (the generic form quotes op names: \"x.y\")", firstError("module {\n  x.y() : () -> ()\n}\n"));
    }

    @Test
    void useOfUndefinedValue() {
        assertEquals("t.lir:3:11: error: use of undefined value '%y'",
                firstError(inFunction("    \"x.y\"(%y) : (f32) -> ()")));
    }

    @Test
    void useBeforeDefinitionInTheSameBlockIsUndefined() {
        assertEquals("t.lir:3:11: error: use of undefined value '%later'", firstError(inFunction(
                "    \"x.y\"(%later) : (f32) -> ()\n    %later = \"x.z\"() : () -> f32")));
    }

    @Test
    void valuesDoNotCrossFunctions() {
        assertEquals("t.lir:6:11: error: use of undefined value '%v'", firstError("""
                module {
                  func.func @f(%v: f32) {
                    func.return
                  }
                  func.func @g() {
                    "x.y"(%v) : (f32) -> ()
                  }
                }
                """));
    }

    @Test
    void typeMismatchBetweenValueAndSignature() {
        assertEquals("t.lir:3:11: error: '%x' has type tensor<4xf32> but is used as tensor<3xf32>",
                firstError(inFunction("    \"x.y\"(%x) : (tensor<3xf32>) -> ()")));
        assertEquals("t.lir:3:23: error: '%a' has type f32 but is used as i64",
                firstError(inFunction("    %r = func.call @g(%a) : (i64) -> f32")));
        assertEquals("t.lir:3:17: error: '%a' has type f32 but is used as i1",
                firstError(inFunction("    func.return %a : i1")));
    }

    @Test
    void operandAndResultCountsMustMatchTheSignature() {
        assertEquals("t.lir:3:10: error: 'x.y' has 2 operands but its signature lists 1 operand type",
                firstError(inFunction("    \"x.y\"(%a, %a) : (f32) -> ()")));
        assertEquals("t.lir:3:5: error: the signature of 'x.y' has 1 result, but '%r:2' names 2",
                firstError(inFunction("    %r:2 = \"x.y\"() : () -> f32")));
        assertEquals("t.lir:3:5: error: the signature of 'x.y' has 1 result, but no result names are given",
                firstError(inFunction("    \"x.y\"() : () -> f32")));
        assertEquals("t.lir:3:26: error: func.return has 2 operands but lists 1 type",
                firstError(inFunction("    func.return %a, %a : f32")));
        assertEquals("t.lir:4:11: error: '%r#2' refers to result #2 but '%r' has 2 results", firstError(inFunction(
                "    %r:2 = \"x.y\"() : () -> (f32, f32)\n    \"x.z\"(%r#2) : (f32) -> ()")));
    }

    @Test
    void redefinitionOfValue() {
        assertEquals("t.lir:4:5: error: redefinition of value '%0' (first defined at 3:5)", firstError(inFunction(
                "    %0 = \"x.y\"() : () -> f32\n    %0 = \"x.y\"() : () -> f32")));
        assertEquals("t.lir:4:7: error: redefinition of value '%a' (first defined at 2:16)", firstError(inFunction(
                "    \"x.y\"() ({\n      %a = \"x.z\"() : () -> f32\n    }) : () -> ()")));
    }

    @Test
    void badTypes() {
        assertEquals("t.lir:3:21: error: unknown type 'f31'; expected f64, f32, f16, bf16, i64, i32, i16, i8, u8,"
                + " i1, index, tensor<...>, memref<...> or vector<...>", firstError(inFunction("    \"x.y\"() : () -> f31")));
        assertEquals("t.lir:3:32: error: unknown element type 'f31' in 'tensor<2x2xf31>'; expected f64, f32, f16,"
                + " bf16, i64, i32, i16, i8, u8 or i1",
                firstError(inFunction("    \"x.y\"() : () -> tensor<2x2xf31>")));
        assertEquals("t.lir:3:30: error: index is not a tensor element type",
                firstError(inFunction("    \"x.y\"() : () -> tensor<4xindex>")));
        assertEquals("t.lir:3:21: error: unterminated tensor type 'tensor<2xf32': expected dimensions, an element type"
                + " and '>'", firstError(inFunction("    \"x.y\"() : () -> tensor<2xf32")));
    }

    @Test
    void badDenseLiterals() {
        assertEquals("t.lir:2:22: error: dense literal has 5 elements but tensor<2x2xf32> needs 4",
                firstError("module {\n  \"x.y\"() {v = dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<2x2xf32>}"
                        + " : () -> ()\n}"));
        assertEquals("t.lir:2:22: error: dense literal has shape [4] but tensor<2x2xf32> has shape [2, 2]",
                firstError("module {\n  \"x.y\"() {v = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<2x2xf32>} : () -> ()\n}"));
        assertEquals("t.lir:2:35: error: dense literal is not rectangular: expected a list of shape [2], found a list"
                + " of shape [1]", firstError("module {\n  \"x.y\"() {v = dense<[[1.0, 2.0], [3.0]]> : tensor<2x2xf32>}"
                + " : () -> ()\n}"));
        assertEquals("t.lir:2:23: error: float literal 1.5 in a tensor of i32 elements",
                firstError("module {\n  \"x.y\"() {v = dense<[1.5, 2]> : tensor<2xi32>} : () -> ()\n}"));
        assertEquals("t.lir:2:22: error: integer 300 does not fit in i8",
                firstError("module {\n  \"x.y\"() {v = dense<300> : tensor<2xi8>} : () -> ()\n}"));
        assertEquals("t.lir:2:22: error: dense hex literal has 2 bytes but tensor<3xf32> needs 12 (or 4 for a splat)",
                firstError("module {\n  \"x.y\"() {v = dense<\"0x0000\"> : tensor<3xf32>} : () -> ()\n}"));
        assertEquals("t.lir:2:29: error: dense literal needs a static shape, found tensor<?xf32>",
                firstError("module {\n  \"x.y\"() {v = dense<1.0> : tensor<?xf32>} : () -> ()\n}"));
    }

    @Test
    void badNumbersInAttributes() {
        assertEquals("t.lir:2:16: error: integer literal 3 with float type f32; write 3.0, or a hex bit pattern",
                firstError("module {\n  \"x.y\"() {v = 3 : f32} : () -> ()\n}"));
        assertEquals("t.lir:2:22: error: float literal 1.5 cannot have integer type i32",
                firstError("module {\n  \"x.y\"() {v = 1.5 : i32} : () -> ()\n}"));
        assertEquals("t.lir:2:16: error: hex literal 0x1FFFF has more bits than f16",
                firstError("module {\n  \"x.y\"() {v = 0x1FFFF : f16} : () -> ()\n}"));
        assertEquals("t.lir:2:16: error: integer 99999999999999999999 does not fit in 64 bits",
                firstError("module {\n  \"x.y\"() {v = 99999999999999999999} : () -> ()\n}").replace("'", ""));
    }

    @Test
    void unterminatedString() {
        assertEquals("t.lir:2:16: error: unterminated string '\"abc} : () -> ()': expected '\"' before the end of the"
                + " line", firstError("module {\n  \"x.y\"() {v = \"abc} : () -> ()\n}\n"));
    }

    @Test
    void invalidEscapeInString() {
        assertEquals("t.lir:2:21: error: invalid escape '\\q ' in string; expected \\\", \\\\, \\n, \\t or \\ and two"
                + " hex digits", firstError("module {\n  \"x.y\"() {s = \"bad \\q escape\"} : () -> ()\n}\n"));
    }

    @Test
    void truncatedFile() {
        assertEquals("t.lir:3:34: error: expected an operation or '}' in region, found end of file", firstError(
                "module {\n  func.func @f(%a: f32) -> f32 {\n    %0 = \"x.y\"(%a) : (f32) -> f32"));
        assertEquals("t.lir:1:7: error: expected 'attributes' or '{' in module, found end of file",
                firstError("module"));
    }

    @Test
    void strayCharacter() {
        assertEquals("t.lir:2:22: error: unexpected character ';'",
                firstError("module {\n  \"x.y\"() : () -> () ;\n}"));
    }

    @Test
    void undefinedResource() {
        assertEquals("t.lir:2:31: error: undefined resource 'w' in dense_resource; the module's resource section has"
                + " no blob of that name",
                firstError("module {\n  \"x.y\"() {v = dense_resource<w> : tensor<2xf32>} : () -> ()\n}\n"));
    }

    @Test
    void badResourceBlobs() {
        String use = "module {\n  \"x.y\"() {v = dense_resource<w> : tensor<2xf32>} : () -> ()\n}\n";
        assertEquals(List.of("t.lir:4:51: error: invalid hex digit 'z'"),
                errors(use + "{-# dialect_resources: { builtin: { w: \"0x04000000zz\" } } #-}"));
        assertEquals("t.lir:2:36: error: resource 'w' has 4 bytes but tensor<2xf32> needs 8",
                firstError(use + "{-# dialect_resources: { builtin: { w: \"0x0400000000000000\" } } #-}"));
        assertEquals("t.lir:4:43: error: resource alignment must be a power of two, found 3",
                firstError(use + "{-# dialect_resources: { builtin: { w: \"0x030000000000000000000000\" } } #-}"));
    }

    @Test
    void functionArgumentRules() {
        assertEquals("t.lir:2:16: error: declaration of '@f' has no body, so its arguments take types only, not"
                + " names", firstError("module {\n  func.func @f(%a: f32)\n}"));
        assertEquals("t.lir:2:16: error: function '@f' has a body, so its arguments need names: (%name: type)",
                firstError("module {\n  func.func @f(f32) {\n  }\n}"));
        assertEquals("t.lir:2:25: error: redefinition of value '%a' (first defined at 2:16)",
                firstError("module {\n  func.func @f(%a: f32, %a: f32) {\n    func.return\n  }\n}"));
    }

    @Test
    void collectsSeveralErrorsInTextOrder() {
        List<String> errors = errors(inFunction("""
                    %0 = "x.y"(%nope) : (f32) -> f32
                    %1 = "x.y"(%0, %0) : (f32) -> f32
                    "x.z"(%1, %x) : (f32, tensor<5xf32>) -> ()
                    "x.w"() {v = 300 : i8} : () -> ()"""));
        assertEquals(List.of(
                "t.lir:3:12: error: use of undefined value '%nope'",
                "t.lir:4:11: error: 'x.y' has 2 operands but its signature lists 1 operand type",
                "t.lir:5:11: error: '%x' has type tensor<4xf32> but is used as tensor<5xf32>",
                "t.lir:6:14: error: integer 300 does not fit in i8"), errors);
    }

    @Test
    void locationsMustBeWellFormed() {
        assertEquals("t.lir:2:26: error: expected 'unknown' or a string in loc(...), found 'foo'",
                firstError("module {\n  \"x.y\"() : () -> () loc(foo)\n}"));
        assertEquals("t.lir:2:31: error: expected ':' in location, found ')'",
                firstError("module {\n  \"x.y\"() : () -> () loc(\"x\":1)\n}"));
    }

    @Test
    void tooDeepNestingIsADiagnosticNotAStackOverflow() {
        String deep = "\"x.y\"() {a = " + "[".repeat(200_000);
        assertEquals("t.lir:1:1: error: the text nests regions, lists or types too deeply to parse", firstError(deep));
    }

    @Test
    void neverThrowsAnythingButDiagnostics() {
        String valid = ParseExampleTest.MLP;
        for (int cut = 0; cut < valid.length(); cut += 7) {
            String truncated = valid.substring(0, cut);
            try {
                IRParser.parse(truncated, "t.lir");
            } catch (DiagnosticException expected) {
                assertTrue(expected.getMessage().startsWith("t.lir:"), expected.getMessage());
            }
        }
    }
}
