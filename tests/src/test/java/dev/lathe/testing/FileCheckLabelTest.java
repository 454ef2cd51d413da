package dev.lathe.testing;

import static dev.lathe.testing.FileCheckDirectivesTest.check;
import static dev.lathe.testing.FileCheckDirectivesTest.failure;
import static dev.lathe.testing.FileCheckDirectivesTest.passes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CHECK-LABEL splits the input into blocks that are checked, and scope variables, separately. */
class FileCheckLabelTest {
    private static final String TWO_FUNCTIONS = """
            func @f(%arg0: f32) {
              %0 = nn.add %arg0, %arg0
              return %0
            }
            func @g(%arg0: f32) {
              %0 = nn.mul %arg0, %arg0
              return %0
            }
            """;

    @Test
    void labelsPassWhenEachBlockMatches() {
        passes("""
                // CHECK-LABEL: func @f
                // CHECK: nn.add
                // CHECK-LABEL: func @g
                // CHECK: nn.mul
                """, TWO_FUNCTIONS);
    }

    @Test
    void failureInOneBlockDoesNotCascadeIntoTheNext() {
        CheckResult result = check("""
                // CHECK-LABEL: func @f
                // CHECK: nn.sub
                // CHECK: return
                // CHECK-LABEL: func @g
                // CHECK: nn.mul
                // CHECK-NEXT: return
                """, TWO_FUNCTIONS);
        assertEquals(1, result.failures().size(), result.message());
        assertEquals(2, result.failures().getFirst().line());
    }

    @Test
    void directiveCannotMatchPastTheNextLabel() {
        String message = failure("""
                // CHECK-LABEL: func @f
                // CHECK: nn.mul
                // CHECK-LABEL: func @g
                """, TWO_FUNCTIONS);
        assertTrue(message.contains("\"nn.mul\" not found after the previous match (input line 1) and before the next "
                + "CHECK-LABEL (input line 5)"), message);
        assertTrue(message.contains("it does occur on input line 6, past the next CHECK-LABEL"), message);
    }

    @Test
    void checkNotAtTheEndOfABlockStopsAtTheNextLabel() {
        passes("""
                // CHECK-LABEL: func @f
                // CHECK-NOT: nn.mul
                // CHECK-LABEL: func @g
                """, TWO_FUNCTIONS);
        String message = failure("""
                // CHECK-LABEL: func @g
                // CHECK-NOT: nn.mul
                """, TWO_FUNCTIONS);
        assertTrue(message.contains("and the end of the input"), message);
    }

    @Test
    void missingLabelStopsCheckingAndSaysWhy() {
        CheckResult result = check("""
                // CHECK-LABEL: func @f
                // CHECK-LABEL: func @h
                // CHECK: nn.div
                """, TWO_FUNCTIONS);
        assertEquals(1, result.failures().size(), result.message());
        assertTrue(result.message().startsWith("test.lir:2: CHECK-LABEL: \"func @h\" not found"), result.message());
        assertTrue(result.message().contains("checking stops here"), result.message());
    }

    @Test
    void labelsMatchInOrder() {
        failure("// CHECK-LABEL: func @g\n// CHECK-LABEL: func @f\n", TWO_FUNCTIONS);
    }

    @Test
    void labelCanCaptureVariablesForItsOwnBlock() {
        passes("""
                // CHECK-LABEL: func @f(%[[ARG:.*]]: f32)
                // CHECK: nn.add %[[ARG]], %[[ARG]]
                // CHECK-LABEL: func @g(%[[ARG:.*]]: f32)
                // CHECK: nn.mul %[[ARG]]
                """, TWO_FUNCTIONS);
    }

    @Test
    void variableFromAnEarlierBlockIsRejectedBeforeMatching() {
        var error = assertThrows(CheckSyntaxException.class, () -> FileCheck.parse("test.lir", """
                // CHECK-LABEL: func @f
                // CHECK: %[[SUM:.*]] = nn.add
                // CHECK-LABEL: func @g
                // CHECK: return %[[SUM]]
                """));
        assertTrue(error.getMessage().startsWith("test.lir:4: CHECK: [[SUM]] was defined at line 2, before a CHECK-LABEL "
                + "that clears it; name it [[$SUM]] to keep it across labels"), error.getMessage());
    }

    @Test
    void dollarVariableSurvivesLaterLabels() {
        passes("""
                // CHECK-LABEL: func @f
                // CHECK: [[$T:f[0-9]+]])
                // CHECK-LABEL: func @g
                // CHECK-SAME: [[$T]]
                """, TWO_FUNCTIONS);
    }

    @Test
    void dollarVariableWithoutValueIsReportedNotThrown() {
        String message = failure("""
                // CHECK-LABEL: func @f
                // CHECK: nn.sub [[$X:%[0-9]+]]
                // CHECK-LABEL: func @g
                // CHECK: nn.mul [[$X]]
                """, TWO_FUNCTIONS);
        assertTrue(message.contains("test.lir:4: CHECK: [[$X]] has no value here"), message);
    }
}
