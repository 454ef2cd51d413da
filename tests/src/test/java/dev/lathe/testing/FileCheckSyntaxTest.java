package dev.lathe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed check files are errors in the test, reported with file and line before any matching. */
class FileCheckSyntaxTest {
    private static String error(String checks) {
        return assertThrows(CheckSyntaxException.class, () -> FileCheck.parse("bad.lir", checks)).getMessage();
    }

    @Test
    void checkingWithNoDirectivesIsAnError() {
        FileCheck empty = FileCheck.parse("bad.lir", "func @f() {}\n// CHECKS are below\n");
        var error = assertThrows(CheckSyntaxException.class, () -> empty.check("anything"));
        assertTrue(error.getMessage().startsWith("bad.lir: no check strings found with prefix CHECK"), error.getMessage());
    }

    @Test
    void checkNextAsTheFirstDirectiveIsRejected() {
        assertEquals("bad.lir:2: CHECK-NEXT: has no previous match to follow; put a CHECK: or CHECK-LABEL: line before it",
                error("func\n// CHECK-NEXT: foo\n"));
    }

    @Test
    void checkSameAndEmptyNeedAPreviousMatchEvenAfterNotAndDag() {
        assertTrue(error("// CHECK-NOT: x\n// CHECK-SAME: foo\n").startsWith("bad.lir:2: CHECK-SAME: has no previous match"));
        assertTrue(error("// CHECK-DAG: x\n// CHECK-EMPTY:\n").startsWith("bad.lir:2: CHECK-EMPTY: has no previous match"));
    }

    @Test
    void unterminatedRegexIsRejected() {
        assertTrue(error("// CHECK: a {{[0-9]+\n").startsWith("bad.lir:1: CHECK: unterminated {{ at column 3"));
    }

    @Test
    void unterminatedVariableIsRejected() {
        assertTrue(error("// CHECK: %[[X:.*\n").startsWith("bad.lir:1: CHECK: unterminated [[ at column 2"));
    }

    @Test
    void useOfAnUndefinedVariableIsRejected() {
        assertEquals("bad.lir:2: CHECK: [[Y]] uses a variable that no earlier directive defines; define it with [[Y:regex]]",
                error("// CHECK: %[[X:.*]] =\n// CHECK: use %[[Y]]\n"));
    }

    @Test
    void useBeforeDefinitionOnTheSameLineIsRejected() {
        assertTrue(error("// CHECK: [[X]] [[X:a]]\n").contains("[[X]] uses a variable that no earlier directive defines"));
    }

    @Test
    void literalDoubleBracketGetsAHint() {
        assertTrue(error("// CHECK: dense<[[1.0, 2.0]]>\n").contains("to match a literal \"[[\" write {{\\[\\[}}"));
    }

    @Test
    void invalidRegexIsRejectedAtItsLine() {
        assertTrue(error("\n// CHECK: {{(unclosed}}\n").startsWith("bad.lir:2: CHECK: invalid regex in pattern"));
    }

    @Test
    void emptyPatternIsRejected() {
        assertTrue(error("// CHECK:\n").startsWith("bad.lir:1: CHECK: empty pattern; to check for an empty line use CHECK-EMPTY:"));
    }

    @Test
    void checkEmptyWithAPatternIsRejected() {
        assertTrue(error("// CHECK: a\n// CHECK-EMPTY: b\n").startsWith("bad.lir:2: CHECK-EMPTY: takes no pattern"));
    }

    @Test
    void misspeltDirectiveIsRejected() {
        assertTrue(error("// CHECK-NXT: a\n").startsWith("bad.lir:1: unknown directive CHECK-NXT:"));
        assertTrue(error("// CHECK: a\n// CHECK-NEXT a\n").startsWith("bad.lir:2: CHECK-NEXT must be followed by ':'"));
    }

    @Test
    void checkNotCannotDefineVariables() {
        assertTrue(error("// CHECK-NOT: [[X:.*]]\n").startsWith("bad.lir:1: CHECK-NOT: cannot define [[X]]"));
    }

    @Test
    void numericSubstitutionIsRejected() {
        assertTrue(error("// CHECK: [[#N:]]\n").contains("numeric substitution [[#N:]] is not supported"));
    }

    @Test
    void proseMentioningDirectivesIsNotADirective() {
        var checks = FileCheck.parse("ok.lir", """
                // The CHECK-NOT below proves folding; MYCHECK: and CHECKS: are not ours.
                // RUN: lathe-opt %s | FileCheck %s --check-prefix=CHECK
                // COM: CHECK: disabled
                // CHECK: a
                """);
        assertEquals(1, checks.directives().size());
        assertEquals(new CheckDirective("ok.lir", 4, "CHECK", CheckKind.PLAIN, "a"), checks.directives().getFirst());
    }

    @Test
    void customPrefixesSelectTheirOwnDirectives() {
        String checks = "// CHECK: common\n// FOLD: folded\n// NOFOLD: nn.add\n";
        var fold = FileCheck.parse("p.lir", checks, List.of("CHECK", "FOLD"));
        assertEquals(List.of("CHECK", "FOLD"), fold.directives().stream().map(CheckDirective::name).toList());
        fold.assertMatches("common folded\n");
        var longer = FileCheck.parse("p.lir", "// CHECK-FOO: y\n// CHECK-FOO-NEXT: x\n", List.of("CHECK", "CHECK-FOO"));
        assertEquals(List.of("CHECK-FOO", "CHECK-FOO-NEXT"), longer.directives().stream().map(CheckDirective::name).toList());
        assertEquals("FOLD-NEXT", FileCheck.parse("p.lir", "// FOLD: a\n// FOLD-NEXT: b\n", List.of("FOLD"))
                .directives().get(1).name());
    }
}
