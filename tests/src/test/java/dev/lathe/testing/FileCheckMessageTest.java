package dev.lathe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A failure message must let a reader fix the test without rerunning anything. */
class FileCheckMessageTest {
    @Test
    void failureNamesTheCheckFileLineAndShowsTheInputWhereMatchingBegan() {
        String checks = "\n".repeat(16) + "// CHECK: %[[A:.*]] = \"nn.add\"\n// CHECK-NEXT: \"nn.relu\"(%[[A]])\n";
        String input = """
                func @f(%x: f32) {
                  %0 = "nn.add"(%x, %x)
                  %1 = "nn.mul"(%0, %0)
                  %2 = "nn.relu"(%0)
                }
                """;
        CheckResult result = FileCheck.parse("passes/cse.lir", checks).check(input);
        assertEquals("""
                passes/cse.lir:18: CHECK-NEXT: expected ""nn.relu"(%[[A]])" on the line after the previous match \
                (input line 2), but it first occurs on input line 4, 2 lines down
                  with [[A]] = "0"
                  input (> where matching began, ! what was found):
                  > 2 |   %0 = "nn.add"(%x, %x)
                      |                ^
                    3 |   %1 = "nn.mul"(%0, %0)
                  ! 4 |   %2 = "nn.relu"(%0)""", result.message());
        assertEquals(18, result.failures().getFirst().line());
    }

    @Test
    void notFoundExcerptIsShortAndSaysHowMuchItLeftOut() {
        String input = "start\n" + "filler\n".repeat(20);
        String message = FileCheck.parse("t.lir", "// CHECK: start\n// CHECK: missing\n").check(input).message();
        assertTrue(message.contains("  > 1 | start\n"), message);
        assertTrue(message.contains("   5 | filler\n"), message);
        assertTrue(!message.contains("   6 | filler"), message);
        assertTrue(message.contains("note: 16 more input lines searched but not shown"), message);
    }

    @Test
    void farAwayMatchIsShownWithTheGapElided() {
        String input = "a\n" + "x\n".repeat(30) + "b\n";
        String message = FileCheck.parse("t.lir", "// CHECK: a\n// CHECK-NEXT: b\n").check(input).message();
        assertTrue(message.contains("  >  1 | a\n"), message);
        assertTrue(message.contains("     2 | x\n       ...\n    31 | x\n"), message);
        assertTrue(message.endsWith("! 32 | b"), message);
    }

    @Test
    void emptyInputIsSaidToBeEmpty() {
        String message = FileCheck.parse("t.lir", "// CHECK: a\n").check("").message();
        assertTrue(message.contains("(the input is empty)"), message);
    }

    @Test
    void assertMatchesThrowsAnAssertionErrorCarryingEveryFailure() {
        var checks = FileCheck.parse("t.lir", "// CHECK-LABEL: @f\n// CHECK: x\n// CHECK-LABEL: @g\n// CHECK: y\n");
        var error = assertThrows(AssertionError.class, () -> checks.assertMatches("@f\n@g\n"));
        assertTrue(error.getMessage().contains("t.lir:2: CHECK: \"x\" not found"), error.getMessage());
        assertTrue(error.getMessage().contains("t.lir:4: CHECK: \"y\" not found"), error.getMessage());
        checks.assertMatches("@f x\n@g y\n");
    }

    @Test
    void passingResultSaysSo() {
        CheckResult result = FileCheck.parse("t.lir", "// CHECK: a\n").check("a\n");
        assertTrue(result.passed());
        assertEquals("all checks passed", result.message());
    }
}
