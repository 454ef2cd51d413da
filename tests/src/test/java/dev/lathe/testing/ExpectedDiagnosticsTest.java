package dev.lathe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Annotations resolve to absolute file lines, whichever case they sit in. */
class ExpectedDiagnosticsTest {
    private static List<ExpectedDiagnostic> secondCase(String text) {
        return LirTestFile.parse("v.lir", "func @a()\n// -----\n" + text).cases().get(1).expectedDiagnostics();
    }

    @Test
    void annotationWithoutOffsetPointsAtItsOwnLine() {
        var expected = secondCase("%0 = \"nn.bad\"() : () -> f32 // expected-error {{unknown op}}\n");
        assertEquals(List.of(new ExpectedDiagnostic(DiagnosticKind.ERROR, 3, "unknown op", 3)), expected);
    }

    @Test
    void offsetsAreRelativeToTheAnnotationAndAbsoluteInTheFile() {
        var expected = secondCase("""
                // expected-error@+2 {{two below}}
                // expected-warning@+1 {{one below}}
                %0 = "nn.op"() : () -> f32
                // expected-note@-1 {{one above}}
                """);
        assertEquals(List.of(
                new ExpectedDiagnostic(DiagnosticKind.ERROR, 5, "two below", 3),
                new ExpectedDiagnostic(DiagnosticKind.WARNING, 5, "one below", 4),
                new ExpectedDiagnostic(DiagnosticKind.NOTE, 5, "one above", 6)), expected);
    }

    @Test
    void aboveAndBelowSkipOtherAnnotationLines() {
        var expected = secondCase("""
                %0 = "nn.first"() : () -> f32
                // expected-error@above {{first}}
                // expected-remark@above {{also first}}
                // expected-error@below {{second}}
                // expected-error@below {{also second}}
                %1 = "nn.second"() : () -> f32
                """);
        assertEquals(List.of(3, 3, 8, 8), expected.stream().map(ExpectedDiagnostic::line).toList());
        assertEquals(DiagnosticKind.REMARK, expected.get(1).kind());
    }

    @Test
    void unknownLocationAnnotationHasNoLine() {
        var expected = secondCase("// expected-error@unknown {{no location}}\n");
        assertEquals(ExpectedDiagnostic.UNKNOWN_LINE, expected.getFirst().line());
    }

    @Test
    void messageMayContainBracesAndRunsToTheLastClosingPair() {
        var expected = secondCase("x // expected-error {{attribute {a = 1} is wrong}}\n");
        assertEquals("attribute {a = 1} is wrong", expected.getFirst().message());
    }

    @Test
    void offsetOutsideTheCaseIsRejected() {
        var error = assertThrows(CheckSyntaxException.class, () -> secondCase("// expected-error@-1 {{x}}\n"));
        assertEquals("v.lir:3: @-1 points at line 2, outside this case (lines 3-3)", error.getMessage());
    }

    @Test
    void malformedAnnotationIsRejected() {
        var error = assertThrows(CheckSyntaxException.class, () -> secondCase("x\n// expected-error@+1 {{unclosed}\n"));
        assertTrue(error.getMessage().startsWith("v.lir:4: malformed annotation"), error.getMessage());
        assertThrows(CheckSyntaxException.class, () -> secondCase("x\n// expected-error@+x {{m}}\n"));
        assertThrows(CheckSyntaxException.class, () -> secondCase("// expected-error@below {{nothing below}}\n"));
    }

    @Test
    void proseMentioningExpectedErrorIsNotAnAnnotation() {
        assertEquals(List.of(), secondCase("// this case has no expected-error annotations\n"));
    }
}
