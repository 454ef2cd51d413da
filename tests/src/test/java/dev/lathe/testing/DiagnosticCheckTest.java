package dev.lathe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every expected diagnostic must be reported, and every reported one expected. */
class DiagnosticCheckTest {
    private static final LirTestCase VERIFIER_CASE = LirTestFile.parse("verify/matmul.lir", """
            func @ok()
            // -----
            func @bad(%x: tensor<2x3xf32>) {
              // expected-error@+1 {{inner dimensions differ}}
              %0 = "nn.matmul"(%x, %x) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
              "nn.return"(%0) : (tensor<2x3xf32>) -> () // expected-warning {{unused}}
            }
            """).cases().get(1);

    private static CheckResult check(ActualDiagnostic... actual) {
        return VERIFIER_CASE.checkDiagnostics(List.of(actual));
    }

    @Test
    void passesWhenEveryExpectedDiagnosticIsReported() {
        check(new ActualDiagnostic("error", 5, "'nn.matmul' op inner dimensions differ: 3 vs 2"),
                new ActualDiagnostic("warning", 6, "result is unused")).assertPassed();
    }

    @Test
    void failsWhenAnExpectedErrorIsNotReported() {
        CheckResult result = check(new ActualDiagnostic("warning", 6, "unused"));
        assertEquals("verify/matmul.lir:5: expected error containing \"inner dimensions differ\" was not reported "
                + "(annotation on line 4)", result.message());
    }

    @Test
    void failsOnAnUnexpectedDiagnosticOfAnyKind() {
        CheckResult result = check(new ActualDiagnostic("error", 5, "inner dimensions differ"),
                new ActualDiagnostic("warning", 6, "unused"), new ActualDiagnostic("note", 3, "see function"));
        assertEquals("verify/matmul.lir:3: unexpected note: \"see function\"", result.message());
    }

    @Test
    void failsWhenTheErrorIsOnAnotherLineAndSaysWhere() {
        CheckResult result = check(new ActualDiagnostic("error", 6, "inner dimensions differ"),
                new ActualDiagnostic("warning", 6, "unused"));
        assertEquals(2, result.failures().size(), result.message());
        assertTrue(result.failures().get(0).toString().startsWith("verify/matmul.lir:5: expected error"), result.message());
        assertTrue(result.message().contains("a matching error was reported on line 6 instead"), result.message());
        assertTrue(result.failures().get(1).toString().startsWith("verify/matmul.lir:6: unexpected error"), result.message());
    }

    @Test
    void failsWhenTheKindDiffersAndShowsWhatWasReported() {
        CheckResult result = check(new ActualDiagnostic("error", 5, "inner dimensions differ"),
                new ActualDiagnostic("error", 6, "unused"));
        assertTrue(result.message().contains("verify/matmul.lir:6: expected warning containing \"unused\" was not reported\n"
                + "  reported on that line: error \"unused\""), result.message());
    }

    @Test
    void failsWhenTheMessageDoesNotContainTheExpectedText() {
        assertFalse(check(new ActualDiagnostic("error", 5, "inner dims differ"),
                new ActualDiagnostic("warning", 6, "unused")).passed());
    }

    @Test
    void oneReportedDiagnosticSatisfiesOnlyOneExpectation() {
        var expected = List.of(new ExpectedDiagnostic(DiagnosticKind.ERROR, 2, "bad", 1),
                new ExpectedDiagnostic(DiagnosticKind.ERROR, 2, "bad", 1));
        CheckResult result = DiagnosticCheck.check("t.lir", expected, List.of(new ActualDiagnostic("error", 2, "bad op")));
        assertEquals(1, result.failures().size(), result.message());
    }

    @Test
    void longerExpectationChoosesFirstSoAShorterOneCannotStealItsMatch() {
        var expected = List.of(new ExpectedDiagnostic(DiagnosticKind.ERROR, 2, "foo", 1),
                new ExpectedDiagnostic(DiagnosticKind.ERROR, 2, "foo bar", 1));
        DiagnosticCheck.check("t.lir", expected, List.of(new ActualDiagnostic("error", 2, "foo bar"),
                new ActualDiagnostic("error", 2, "foo"))).assertPassed();
    }

    @Test
    void unknownLocationDiagnosticsMatchUnknownAnnotations() {
        var expected = List.of(new ExpectedDiagnostic(DiagnosticKind.ERROR, ExpectedDiagnostic.UNKNOWN_LINE, "lost", 4));
        DiagnosticCheck.check("t.lir", expected, List.of(new ActualDiagnostic("error", 0, "lost location"))).assertPassed();
        CheckResult unexpected = DiagnosticCheck.check("t.lir", List.of(), List.of(new ActualDiagnostic("ERROR", 0, "lost")));
        assertEquals("t.lir: unexpected error at an unknown location: \"lost\"", unexpected.message());
    }

    @Test
    void noDiagnosticsExpectedAndNoneReportedPasses() {
        DiagnosticCheck.check("t.lir", List.of(), List.of()).assertPassed();
    }
}
