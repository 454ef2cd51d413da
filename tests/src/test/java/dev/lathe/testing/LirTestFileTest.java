package dev.lathe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RUN lines, splitting into cases, and line numbers that agree with the file. */
class LirTestFileTest {
    private static final String CSE_TEST = """
            // RUN: lathe-opt %s --pass-pipeline=cse,dce --allow-unregistered | FileCheck %s

            // CHECK-LABEL: func @dedup
            func @dedup(%x: f32) {
              // CHECK: %[[A:.*]] = "nn.add"
              // CHECK-NOT: "nn.add"
              %0 = "nn.add"(%x, %x) : (f32, f32) -> f32
              %1 = "nn.add"(%x, %x) : (f32, f32) -> f32
            }

            // -----

            // CHECK-LABEL: func @keep
            func @keep(%x: f32) {
              // CHECK: "nn.mul"
              %0 = "nn.mul"(%x, %x) : (f32, f32) -> f32
            }
            """;

    @Test
    void runLineArgumentsKeepPercentSAndDropTheFileCheckPipe() {
        RunLine run = LirTestFile.parse("passes/cse.lir", CSE_TEST).runLines().getFirst();
        assertEquals(new RunLine(1, "lathe-opt", List.of("%s", "--pass-pipeline=cse,dce", "--allow-unregistered"),
                true, List.of("CHECK")), run);
        assertEquals(List.of("/t/cse.lir", "--pass-pipeline=cse,dce", "--allow-unregistered"), run.argsFor("/t/cse.lir"));
    }

    @Test
    void runLineWithoutFileCheckIsAccepted() {
        RunLine run = LirTestFile.parse("v.lir", "// RUN: lathe-opt %s --verify-diagnostics\n").runLines().getFirst();
        assertEquals(List.of("%s", "--verify-diagnostics"), run.args());
        assertFalse(run.pipesToFileCheck());
    }

    @Test
    void everyRunLineIsKeptWithItsCheckPrefixes() {
        var file = LirTestFile.parse("t.lir", """
                // RUN: lathe-opt %s --pass-pipeline=fold | FileCheck %s --check-prefix=FOLD
                // RUN: lathe-opt %s \\
                // RUN:   --pass-pipeline='canonicalize, cse'|FileCheck %s -check-prefixes=CHECK,CSE
                """);
        assertEquals(2, file.runLines().size());
        assertEquals(List.of("FOLD"), file.runLines().get(0).checkPrefixes());
        RunLine continued = file.runLines().get(1);
        assertEquals(2, continued.line());
        assertEquals(List.of("%s", "--pass-pipeline=canonicalize, cse"), continued.args());
        assertEquals(List.of("CHECK", "CSE"), continued.checkPrefixes());
    }

    @Test
    void runLinePipingIntoAnythingButFileCheckIsRejected() {
        var error = assertThrows(CheckSyntaxException.class,
                () -> LirTestFile.parse("t.lir", "\n// RUN: lathe-opt %s | grep add\n"));
        assertTrue(error.getMessage().startsWith("t.lir:2: only '| FileCheck %s' may follow"), error.getMessage());
    }

    @Test
    void casesSplitAtSeparatorLinesWithTheirFileStartLines() {
        var cases = LirTestFile.parse("passes/cse.lir", CSE_TEST).cases();
        assertEquals(2, cases.size());
        assertEquals(1, cases.get(0).startLine());
        assertEquals(10, cases.get(0).endLine());
        assertEquals(12, cases.get(1).startLine());
        assertEquals(2, cases.get(1).number());
        assertTrue(cases.get(1).text().startsWith("\n// CHECK-LABEL: func @keep\n"));
        assertFalse(cases.get(0).text().contains("-----"));
    }

    @Test
    void separatorMustBeTheWholeLine() {
        var cases = LirTestFile.parse("t.lir", "a\n   // -----  \nb\n// ----- not a separator\nc\n").cases();
        assertEquals(2, cases.size());
        assertEquals("b\n// ----- not a separator\nc\n", cases.get(1).text());
    }

    @Test
    void blankCasesAreDroppedButNumbersStayTrueToTheFile() {
        var cases = LirTestFile.parse("t.lir", "a\n// -----\n\n// -----\nb\n// -----\n").cases();
        assertEquals(List.of(1, 3), cases.stream().map(LirTestCase::number).toList());
        assertEquals(5, cases.get(1).startLine());
    }

    @Test
    void alignedTextPutsEveryLineAtItsFileLineNumber() {
        LirTestCase second = LirTestFile.parse("passes/cse.lir", CSE_TEST).cases().get(1);
        List<String> fileLines = CSE_TEST.lines().toList();
        List<String> alignedLines = second.alignedText().lines().toList();
        for (int line = second.startLine(); line <= second.endLine(); line++) {
            assertEquals(fileLines.get(line - 1), alignedLines.get(line - 1), "line " + line);
        }
        assertTrue(alignedLines.subList(0, second.startLine() - 1).stream().allMatch(String::isEmpty));
    }

    @Test
    void caseDirectivesCarryFileLineNumbers() {
        var cases = LirTestFile.parse("passes/cse.lir", CSE_TEST).cases();
        assertEquals(List.of(3, 5, 6), cases.get(0).fileCheck().directives().stream().map(CheckDirective::line).toList());
        assertEquals(List.of(13, 15), cases.get(1).fileCheck().directives().stream().map(CheckDirective::line).toList());
    }

    @Test
    void caseChecksOutputAgainstOnlyItsOwnDirectivesAndReportsFileLines() {
        LirTestCase first = LirTestFile.parse("passes/cse.lir", CSE_TEST).cases().getFirst();
        first.checkOutput("func @dedup(%x: f32) {\n  %0 = \"nn.add\"(%x, %x)\n}\n").assertPassed();
        CheckResult duplicate = first.checkOutput("func @dedup(%x: f32) {\n  %0 = \"nn.add\"(%x, %x)\n  %1 = \"nn.add\"(%x, %x)\n}\n");
        assertTrue(duplicate.message().startsWith("passes/cse.lir:6: CHECK-NOT: excluded"), duplicate.message());
    }

    @Test
    void displayNameIsTheLocationAndFirstLabel() {
        var cases = LirTestFile.parse("passes/cse.lir", CSE_TEST).cases();
        assertEquals("passes/cse.lir:12 func @keep", cases.get(1).displayName());
        assertEquals("t.lir:1", LirTestFile.parse("t.lir", "func @f()\n").cases().getFirst().displayName());
    }

    @Test
    void caseWithoutChecksSaysSo() {
        assertFalse(LirTestFile.parse("t.lir", "func @f()\n").cases().getFirst().hasChecks());
        assertTrue(LirTestFile.parse("passes/cse.lir", CSE_TEST).cases().getFirst().hasChecks());
    }
}
