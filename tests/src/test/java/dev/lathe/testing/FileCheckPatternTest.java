package dev.lathe.testing;

import static dev.lathe.testing.FileCheckDirectivesTest.failure;
import static dev.lathe.testing.FileCheckDirectivesTest.passes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Pattern syntax: whitespace, inline regex, variables and line references. */
class FileCheckPatternTest {
    @Test
    void whitespaceRunsMatchAnyRunOfSpacesAndTabs() {
        passes("// CHECK: %0 = nn.add %a,   %b\n", "%0  =\tnn.add %a, %b\n");
    }

    @Test
    void whitespaceInThePatternStillRequiresSomeWhitespace() {
        failure("// CHECK: nn.add %a\n", "nn.add%a\n");
    }

    @Test
    void surroundingPatternWhitespaceIsIgnored() {
        passes("// CHECK:     nn.add    \n", "nn.add\n");
    }

    @Test
    void literalTextMatchesRegexMetacharactersLiterally() {
        passes("// CHECK: (tensor<4xf32>) -> f32 {a = [1, 2]}\n", "(tensor<4xf32>) -> f32 {a = [1, 2]}\n");
        failure("// CHECK: nn.add.x\n", "nn.addyx\n");
    }

    @Test
    void inlineRegexMatches() {
        passes("// CHECK: tensor<{{[0-9]+}}xf32>\n", "tensor<128xf32>\n");
        failure("// CHECK: tensor<{{[0-9]+}}xf32>\n", "tensor<?xf32>\n");
    }

    @Test
    void inlineRegexAlternationStaysInsideItsBraces() {
        passes("// CHECK: abc{{x|z}}def\n", "abczdef\n");
        failure("// CHECK: abc{{x|z}}def\n", "abcx\n");
    }

    @Test
    void regexEndingInABraceQuantifierUsesTheLastClosingBraces() {
        passes("// CHECK: {{a{2}}}b\n", "aab\n");
        failure("// CHECK: {{a{2}}}b\n", "ab\n");
    }

    @Test
    void dotStarStopsAtTheEndOfTheLine() {
        passes("// CHECK: %[[X:.*]] = nn.add\n// CHECK-NEXT: use %[[X]]\n", "%0 = nn.add\nuse %0\n");
        failure("// CHECK: a{{.*}}b\n", "a\nb\n");
    }

    @Test
    void lineAnchorsMeanRealLineBoundaries() {
        passes("// CHECK: {{^}}func\n", "  x func\nfunc\n");
        failure("// CHECK: x\n// CHECK-SAME: {{^}}func\n", "x func\n");
        passes("// CHECK: %0{{$}}\n", "%01\n%0\n");
    }

    @Test
    void capturedVariableIsReusedByLaterDirectives() {
        passes("""
                // CHECK: %[[A:.*]] = nn.add
                // CHECK: nn.relu %[[A]]
                """, "%sum = nn.add %x, %y\n%r = nn.relu %sum\n");
    }

    @Test
    void reuseFailsWhenTheValueDiffersAndSaysWhatTheValueWas() {
        String message = failure("""
                // CHECK: %[[A:.*]] = nn.add
                // CHECK: nn.relu %[[A]]
                """, "%sum = nn.add %x, %y\n%r = nn.relu %x\n");
        assertTrue(message.contains("with [[A]] = \"sum\""), message);
    }

    @Test
    void capturedValueIsMatchedAsLiteralText() {
        failure("// CHECK: [[V:[a-z.]+]] =\n// CHECK: use [[V]]\n", "a.b =\nuse axb\n");
    }

    @Test
    void capturedWhitespaceMatchesFlexiblyWhenReused() {
        passes("// CHECK: type [[T:.*]];\n// CHECK: [[T]]\n", "type a  b;\nfoo a b\n");
    }

    @Test
    void variableUsedOnItsOwnDefiningLineIsABackreference() {
        passes("// CHECK: nn.add [[X:%[a-z]+]], [[X]]\n", "nn.add %a, %b\nnn.add %c, %c\n");
        failure("// CHECK: nn.add [[X:%[a-z]+]], [[X]]\n", "nn.add %a, %b\n");
    }

    @Test
    void captureRegexMayContainCharacterClassBrackets() {
        passes("// CHECK: %[[N:[0-9]]] = c\n// CHECK: use %[[N]]\n", "%7 = c\nuse %7\n");
    }

    @Test
    void variableCanBeRedefined() {
        passes("""
                // CHECK: [[V:%[0-9]+]] = a
                // CHECK: use [[V]]
                // CHECK: [[V:%[0-9]+]] = b
                // CHECK: use [[V]]
                """, "%1 = a\nuse %1\n%2 = b\nuse %2\n");
    }

    @Test
    void lineReferenceIsTheCheckFileLineNumber() {
        passes("\n\n// CHECK: loc(\"f.lir\":[[@LINE]]) [[@LINE+1]] [[@LINE-1]]\n", "loc(\"f.lir\":3) 4 2\n");
    }
}
