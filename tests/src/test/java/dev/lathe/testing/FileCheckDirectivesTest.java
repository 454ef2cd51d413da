package dev.lathe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each directive kind, shown passing and failing. */
class FileCheckDirectivesTest {
    static CheckResult check(String checks, String input) {
        return FileCheck.parse("test.lir", checks).check(input);
    }

    static String failure(String checks, String input) {
        CheckResult result = check(checks, input);
        assertFalse(result.passed(), "expected the check to fail");
        return result.message();
    }

    static void passes(String checks, String input) {
        check(checks, input).assertPassed();
    }

    @Test
    void checkFindsSubstringsInOrder() {
        passes("""
                // CHECK: nn.add
                // CHECK: nn.relu
                """, """
                %0 = "nn.add"(%a, %b)
                %1 = "nn.relu"(%0)
                """);
    }

    @Test
    void checkFailsWhenPatternOccursOnlyBeforeThePreviousMatch() {
        String message = failure("""
                // CHECK: nn.relu
                // CHECK: nn.add
                """, """
                %0 = "nn.add"(%a, %b)
                %1 = "nn.relu"(%0)
                """);
        assertTrue(message.startsWith("test.lir:2: CHECK: \"nn.add\" not found after the previous match (input line 2)"), message);
        assertTrue(message.contains("note: it does occur on input line 1, before where matching began"), message);
    }

    @Test
    void checkContinuesOnTheLineOfThePreviousMatch() {
        passes("""
                // CHECK: %a
                // CHECK: %b
                """, "nn.add %a, %b\n");
    }

    @Test
    void checkMatchNeverSpansTwoLines() {
        failure("// CHECK: nn.add %a\n", "nn.add\n%a\n");
        failure("// CHECK: {{nn.add\\s*%a}}\n", "nn.add\n%a\n");
    }

    @Test
    void checkNextPassesOnTheVeryNextLine() {
        passes("""
                // CHECK: nn.add
                // CHECK-NEXT: nn.relu
                // CHECK-NEXT: return
                """, "nn.add\nnn.relu\nreturn\n");
    }

    @Test
    void checkNextFailsWhenMatchIsTwoLinesDown() {
        String message = failure("""
                // CHECK: nn.add
                // CHECK-NEXT: nn.relu
                """, "nn.add\nnn.mul\nnn.relu\n");
        assertTrue(message.startsWith("test.lir:2: CHECK-NEXT: expected \"nn.relu\" on the line after the previous match "
                + "(input line 1), but it first occurs on input line 3, 2 lines down"), message);
    }

    @Test
    void checkNextFailsWhenMatchIsOnTheSameLine() {
        String message = failure("""
                // CHECK: %a
                // CHECK-NEXT: %b
                """, "nn.add %a, %b\n%b\n");
        assertTrue(message.contains("but it first occurs on that same line"), message);
    }

    @Test
    void checkNextFailsWhenPatternIsMissing() {
        String message = failure("// CHECK: nn.add\n// CHECK-NEXT: nn.relu\n", "nn.add\nreturn\n");
        assertTrue(message.contains("CHECK-NEXT: \"nn.relu\" not found after the previous match (input line 1)"), message);
    }

    @Test
    void checkSamePassesLaterOnTheSameLine() {
        passes("""
                // CHECK: func @f(
                // CHECK-SAME: %arg0
                // CHECK-SAME: -> tensor<4xf32>
                """, "func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {\n");
    }

    @Test
    void checkSameFailsWhenMatchIsOnALaterLine() {
        String message = failure("// CHECK: func @f(\n// CHECK-SAME: %arg1\n", "func @f(%arg0) {\n  use %arg1\n");
        assertTrue(message.contains("CHECK-SAME: expected \"%arg1\" on the same line as the previous match (input line 1), "
                + "but it first occurs on input line 2"), message);
    }

    @Test
    void checkSameFailsWhenTextIsBeforeThePreviousMatchOnTheLine() {
        failure("// CHECK: %b\n// CHECK-SAME: %a\n", "nn.add %a, %b\n");
    }

    @Test
    void checkNotPassesWhenPatternOccursOnlyOutsideTheGap() {
        passes("""
                // CHECK: nn.add
                // CHECK-NOT: nn.mul
                // CHECK: nn.relu
                """, "nn.mul\nnn.add\nnn.relu\nnn.mul\n");
    }

    @Test
    void checkNotFailsWhenPatternOccursBetweenMatches() {
        String message = failure("""
                // CHECK: nn.add
                // CHECK-NOT: nn.mul
                // CHECK: nn.relu
                """, "nn.add\nnn.mul\nnn.relu\n");
        assertTrue(message.startsWith("test.lir:2: CHECK-NOT: excluded \"nn.mul\" occurs on input line 2, between the "
                + "previous match (input line 1) and the next match (input line 3)"), message);
        assertTrue(message.contains("! 2 | nn.mul"), message);
    }

    @Test
    void checkNotAtTheEndCoversTheRestOfTheInput() {
        String message = failure("// CHECK: nn.add\n// CHECK-NOT: nn.mul\n", "nn.add\nnn.relu\nnn.mul\n");
        assertTrue(message.contains("and the end of the input"), message);
    }

    @Test
    void checkNotFirstCoversTheStartOfTheInput() {
        String message = failure("// CHECK-NOT: nn.mul\n// CHECK: nn.add\n", "nn.mul\nnn.add\n");
        assertTrue(message.contains("between the start of the input and the next match (input line 2)"), message);
        passes("// CHECK-NOT: nn.mul\n// CHECK: nn.add\n", "nn.add\nnn.mul\n");
    }

    @Test
    void checkNotAloneChecksTheWholeInput() {
        passes("// CHECK-NOT: nn.mul\n", "nn.add\n");
        failure("// CHECK-NOT: nn.mul\n", "nn.add\nnn.mul\n");
    }

    @Test
    void checkDagMatchesInAnyOrder() {
        passes("""
                // CHECK: func
                // CHECK-DAG: %[[B:.*]] = nn.const 2
                // CHECK-DAG: %[[A:.*]] = nn.const 1
                // CHECK: nn.add %[[A]], %[[B]]
                """, "func\n%0 = nn.const 1\n%1 = nn.const 2\nnn.add %0, %1\n");
    }

    @Test
    void checkDagNeverLetsTwoDirectivesClaimTheSameText() {
        passes("// CHECK-DAG: nn.const\n// CHECK-DAG: nn.const\n", "nn.const 1\nnn.const 2\n");
        String message = failure("// CHECK-DAG: nn.const\n// CHECK-DAG: nn.const\n", "nn.const 1\n");
        assertTrue(message.contains("it only occurs where another CHECK-DAG of its group already matched (input line 1)"), message);
    }

    @Test
    void checkDagFailsWhenOnePatternIsMissing() {
        String message = failure("// CHECK-DAG: nn.const 1\n// CHECK-DAG: nn.const 3\n", "nn.const 1\nnn.const 2\n");
        assertTrue(message.startsWith("test.lir:2: CHECK-DAG: \"nn.const 3\" not found"), message);
    }

    @Test
    void checkNotBetweenDagGroupsCoversTheGapBetweenThem() {
        String checks = """
                // CHECK-DAG: nn.const 1
                // CHECK-NOT: nn.mul
                // CHECK-DAG: nn.const 2
                """;
        passes(checks, "nn.const 1\nnn.const 2\nnn.mul\n");
        failure(checks, "nn.const 1\nnn.mul\nnn.const 2\n");
    }

    @Test
    void checkFollowingADagGroupStartsAfterItsLastMatch() {
        passes("// CHECK: start\n// CHECK-DAG: b\n// CHECK-DAG: a\n// CHECK-NEXT: c\n", "start\na\nb\nc\n");
        failure("// CHECK-DAG: a\n// CHECK-DAG: b\n// CHECK: a\n", "a\nb\n");
    }

    @Test
    void checkEmptyPassesOnAnEmptyNextLine() {
        passes("// CHECK: }\n// CHECK-EMPTY:\n// CHECK-NEXT: func @g\n", "}\n\nfunc @g\n");
    }

    @Test
    void checkEmptyFailsWhenTheNextLineHasText() {
        String message = failure("// CHECK: }\n// CHECK-EMPTY:\n", "}\nfunc @g\n\n");
        assertTrue(message.contains("CHECK-EMPTY: expected an empty line after the previous match (input line 1), "
                + "but line 2 is not empty"), message);
    }

    @Test
    void checkEmptyFailsAtTheEndOfTheInput() {
        String message = failure("// CHECK: }\n// CHECK-EMPTY:\n", "}\n");
        assertTrue(message.contains("but the input ends there"), message);
    }

    @Test
    void checkReportsEveryFailingBlockButStopsEachBlockAtItsFirstFailure() {
        CheckResult result = check("""
                // CHECK-LABEL: @f
                // CHECK: missing1
                // CHECK: missing2
                // CHECK-LABEL: @g
                // CHECK: missing3
                """, "@f\n@g\n");
        assertEquals(2, result.failures().size(), result.message());
        assertEquals(2, result.failures().get(0).line());
        assertEquals(5, result.failures().get(1).line());
    }
}
