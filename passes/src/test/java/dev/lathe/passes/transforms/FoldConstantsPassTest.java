package dev.lathe.passes.transforms;

import static dev.lathe.passes.testing.IRTesting.canonical;
import static dev.lathe.passes.testing.IRTesting.parse;
import static dev.lathe.passes.testing.IRTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FoldConstantsPassTest {

    /** A 5-element f32 weight [1, 2, 3, 4, 5] in the resource table, 64-byte aligned. */
    private static final String WEIGHT = """
            {-#
              dialect_resources: {
                builtin: {
                  w: "0x400000000000803F0000004000004040000080400000A040"
                }
              }
            #-}
            """;

    private static PassManager.Result runPipeline(String pipeline, Module m) {
        return new PassManager(PassPipeline.parse(pipeline)).disableCrashReproducer().run(m);
    }

    @Test
    void foldsAChainIntoOneConstant() {
        assertEquals(canonical("""
                module {
                  func.func @f() -> tensor<2xf32> {
                    %0 = "nn.constant"() {value = dense<[4.0, 5.0]> : tensor<2xf32>} : () -> tensor<2xf32>
                    func.return %0 : tensor<2xf32>
                  }
                }
                """), run("fold-constants", """
                module {
                  func.func @f() -> tensor<2xf32> {
                    %a = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
                    %b = "nn.constant"() {value = dense<3.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %0 = "nn.add"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %1 = "nn.relu"(%0) : (tensor<2xf32>) -> tensor<2xf32>
                    %2 = "nn.sub"(%1, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %3 = "nn.add"(%2, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    func.return %3 : tensor<2xf32>
                  }
                }
                """));
    }

    @Test
    void leavesOpsWithANonConstantOperand() {
        String input = """
                module {
                  func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
                    %a = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
                    %0 = "nn.add"(%a, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    func.return %0 : tensor<2xf32>
                  }
                }
                """;
        assertEquals(canonical(input), run("fold-constants", input));
    }

    @Test
    void largeResultsGoToResourcesAndUnusedBlobsAreDropped() {
        Module m = parse("""
                module {
                  func.func @f() -> (tensor<5xf32>, tensor<5xf32>) {
                    %w = "nn.constant"() {value = dense_resource<w> : tensor<5xf32>} : () -> tensor<5xf32>
                    %0 = "nn.add"(%w, %w) : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xf32>
                    %1 = "nn.add"(%0, %w) : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xf32>
                    %2 = "nn.sub"(%w, %w) : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xf32>
                    func.return %1, %2 : tensor<5xf32>, tensor<5xf32>
                  }
                }
                """ + WEIGHT);
        var result = runPipeline("fold-constants{max-inline-elements=4}", m);
        var counters = result.passes().get(0);
        assertEquals(3L, counters.counter("ops-folded"));
        assertEquals(2L, counters.counter("resources-created"));
        assertEquals(2L, counters.counter("resources-dropped"), "w and the intermediate sum");
        assertEquals(Set.of("folded_1"), m.resources().keySet());
        String out = IRPrinter.print(m);
        assertTrue(out.contains("{value = dense_resource<folded_1> : tensor<5xf32>}"), out);
        assertTrue(out.contains("{value = dense<0.0> : tensor<5xf32>}"), "a splat stays inline:\n" + out);
        var folded = DenseElementsAttr.fromBytes(TensorType.of(ScalarType.F32, 5), m.resource("folded_1").data());
        assertArrayEquals(new double[] {3, 6, 9, 12, 15}, folded.toDoubles());
        assertEquals(64, m.resource("folded_1").alignment());
    }

    @Test
    void divisionByZeroLeavesTheOpWithAWarning() {
        String input = """
                module {
                  func.func @f() -> tensor<2xi32> {
                    %a = "nn.constant"() {value = dense<[7, 8]> : tensor<2xi32>} : () -> tensor<2xi32>
                    %b = "nn.constant"() {value = dense<[2, 0]> : tensor<2xi32>} : () -> tensor<2xi32>
                    %0 = "nn.div"(%a, %b) : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
                    func.return %0 : tensor<2xi32>
                  }
                }
                """;
        Module m = parse(input);
        var result = runPipeline("fold-constants", m);
        assertEquals(canonical(input), IRPrinter.print(m));
        Diagnostic warning = result.diagnostics().getFirst();
        assertEquals(Diagnostic.Severity.WARNING, warning.severity());
        assertEquals(5, warning.line());
        assertTrue(warning.message().contains("'nn.div' op not folded") && warning.message().contains("division by zero"),
                warning.message());
        assertEquals(1L, result.passes().get(0).counter("evaluation-failures"));
    }

    @Test
    void skipsOpsAboveTheElementLimit() {
        String input = """
                module {
                  func.func @f() -> tensor<5xf32> {
                    %w = "nn.constant"() {value = dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf32>} : () -> tensor<5xf32>
                    %0 = "nn.relu"(%w) : (tensor<5xf32>) -> tensor<5xf32>
                    func.return %0 : tensor<5xf32>
                  }
                }
                """;
        Module m = parse(input);
        var result = runPipeline("fold-constants{max-elements=4}", m);
        assertEquals(canonical(input), IRPrinter.print(m));
        assertEquals(1L, result.passes().get(0).counter("ops-skipped-too-large"));
    }
}
