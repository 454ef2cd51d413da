package dev.lathe.passes.transforms;

import static dev.lathe.passes.testing.IRTesting.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code recognize-layer-norm} and {@code recognize-gelu} against the reference interpreter: the
 * rewritten module computes what the decomposed one does, up to f32 rounding.
 */
class RecognizePassesNumericsTest {

    private static final String LAYER_NORM = """
            module {
              func.func @f(%x: tensor<3x5x16xf32>, %gamma: tensor<16xf32>, %beta: tensor<16xf32>) -> tensor<3x5x16xf32> {
                %two = "nn.constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
                %eps = "nn.constant"() {value = dense<1.0e-5> : tensor<f32>} : () -> tensor<f32>
                %m = "nn.reduce_mean"(%x) {axes = [-1], keepdims = true} : (tensor<3x5x16xf32>) -> tensor<3x5x1xf32>
                %d = "nn.sub"(%x, %m) : (tensor<3x5x16xf32>, tensor<3x5x1xf32>) -> tensor<3x5x16xf32>
                %p = "nn.pow"(%d, %two) : (tensor<3x5x16xf32>, tensor<f32>) -> tensor<3x5x16xf32>
                %v = "nn.reduce_mean"(%p) {axes = [-1], keepdims = true} : (tensor<3x5x16xf32>) -> tensor<3x5x1xf32>
                %e = "nn.add"(%v, %eps) : (tensor<3x5x1xf32>, tensor<f32>) -> tensor<3x5x1xf32>
                %s = "nn.sqrt"(%e) : (tensor<3x5x1xf32>) -> tensor<3x5x1xf32>
                %n = "nn.div"(%d, %s) : (tensor<3x5x16xf32>, tensor<3x5x1xf32>) -> tensor<3x5x16xf32>
                %g = "nn.mul"(%n, %gamma) : (tensor<3x5x16xf32>, tensor<16xf32>) -> tensor<3x5x16xf32>
                %y = "nn.add"(%g, %beta) : (tensor<3x5x16xf32>, tensor<16xf32>) -> tensor<3x5x16xf32>
                func.return %y : tensor<3x5x16xf32>
              }
            }
            """;

    private static final String LAYER_NORM_TWO_AXES = """
            module {
              func.func @f(%x: tensor<3x5x16xf32>) -> tensor<3x5x16xf32> {
                %eps = "nn.constant"() {value = dense<1.0e-3> : tensor<f32>} : () -> tensor<f32>
                %m = "nn.reduce_mean"(%x) {axes = [1, 2], keepdims = true} : (tensor<3x5x16xf32>) -> tensor<3x1x1xf32>
                %d = "nn.sub"(%x, %m) : (tensor<3x5x16xf32>, tensor<3x1x1xf32>) -> tensor<3x5x16xf32>
                %p = "nn.mul"(%d, %d) : (tensor<3x5x16xf32>, tensor<3x5x16xf32>) -> tensor<3x5x16xf32>
                %v = "nn.reduce_mean"(%p) {axes = [2, 1], keepdims = true} : (tensor<3x5x16xf32>) -> tensor<3x1x1xf32>
                %e = "nn.add"(%eps, %v) : (tensor<f32>, tensor<3x1x1xf32>) -> tensor<3x1x1xf32>
                %s = "nn.sqrt"(%e) : (tensor<3x1x1xf32>) -> tensor<3x1x1xf32>
                %n = "nn.div"(%d, %s) : (tensor<3x5x16xf32>, tensor<3x1x1xf32>) -> tensor<3x5x16xf32>
                func.return %n : tensor<3x5x16xf32>
              }
            }
            """;

    private static final String ERF_GELU = """
            module {
              func.func @f(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
                %sqrt2 = "nn.constant"() {value = dense<1.4142135> : tensor<f32>} : () -> tensor<f32>
                %one = "nn.constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
                %half = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
                %0 = "nn.div"(%x, %sqrt2) : (tensor<4x32xf32>, tensor<f32>) -> tensor<4x32xf32>
                %1 = "nn.erf"(%0) : (tensor<4x32xf32>) -> tensor<4x32xf32>
                %2 = "nn.add"(%1, %one) : (tensor<4x32xf32>, tensor<f32>) -> tensor<4x32xf32>
                %3 = "nn.mul"(%x, %2) : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
                %4 = "nn.mul"(%3, %half) : (tensor<4x32xf32>, tensor<f32>) -> tensor<4x32xf32>
                func.return %4 : tensor<4x32xf32>
              }
            }
            """;

    private static final String TANH_GELU = """
            module {
              func.func @f(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
                %three = "nn.constant"() {value = dense<3.0> : tensor<f32>} : () -> tensor<f32>
                %a = "nn.constant"() {value = dense<0.044715> : tensor<f32>} : () -> tensor<f32>
                %b = "nn.constant"() {value = dense<0.7978846> : tensor<f32>} : () -> tensor<f32>
                %one = "nn.constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
                %half = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
                %c = "nn.pow"(%x, %three) : (tensor<4x32xf32>, tensor<f32>) -> tensor<4x32xf32>
                %k = "nn.mul"(%c, %a) : (tensor<4x32xf32>, tensor<f32>) -> tensor<4x32xf32>
                %s = "nn.add"(%x, %k) : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
                %u = "nn.mul"(%s, %b) : (tensor<4x32xf32>, tensor<f32>) -> tensor<4x32xf32>
                %t = "nn.tanh"(%u) : (tensor<4x32xf32>) -> tensor<4x32xf32>
                %p = "nn.add"(%t, %one) : (tensor<4x32xf32>, tensor<f32>) -> tensor<4x32xf32>
                %h = "nn.mul"(%x, %half) : (tensor<4x32xf32>, tensor<f32>) -> tensor<4x32xf32>
                %y = "nn.mul"(%h, %p) : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
                func.return %y : tensor<4x32xf32>
              }
            }
            """;

    @Test
    void layerNormWithScaleAndBiasMatchesTheDecomposedGraph() {
        assertRewriteKeepsValues(LAYER_NORM, "recognize-layer-norm", "nn.layer_normalization");
    }

    @Test
    void layerNormOverTwoAxesWithoutScaleMatchesTheDecomposedGraph() {
        assertRewriteKeepsValues(LAYER_NORM_TWO_AXES, "recognize-layer-norm", "nn.layer_normalization");
    }

    @Test
    void erfGeluMatchesTheDecomposedGraph() {
        assertRewriteKeepsValues(ERF_GELU, "recognize-gelu", "nn.gelu");
    }

    @Test
    void tanhGeluMatchesTheDecomposedGraph() {
        assertRewriteKeepsValues(TANH_GELU, "recognize-gelu", "nn.gelu");
    }

    /** Runs {@code pipeline} on {@code ir} and compares both modules on random inputs (seeded). */
    private static void assertRewriteKeepsValues(String ir, String pipeline, String expectedOp) {
        Module original = parse(ir);
        Module rewritten = parse(ir);
        new PassManager(PassPipeline.parse(pipeline)).disableCrashReproducer().run(rewritten);
        String printed = IRPrinter.print(rewritten);
        assertTrue(printed.contains("\"" + expectedOp + "\""), printed);
        Random random = new Random(42);
        Interpreter reference = new Interpreter(original);
        Interpreter fused = new Interpreter(rewritten);
        for (int trial = 0; trial < 5; trial++) {
            List<DenseElementsAttr> inputs = new ArrayList<>();
            for (var input : reference.signature("f").inputs()) {
                TensorType type = (TensorType) input.type();
                double[] values = new double[(int) type.numElements()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = 3 * random.nextGaussian();
                }
                inputs.add(DenseElementsAttr.fromDoubles(TensorType.of(type.shape(), ScalarType.F32), values));
            }
            DenseElementsAttr expected = reference.run("f", inputs).getFirst();
            DenseElementsAttr actual = fused.run("f", inputs).getFirst();
            assertEquals(expected.numElements(), actual.numElements());
            for (int i = 0; i < expected.numElements(); i++) {
                double e = expected.getDouble(i);
                assertEquals(e, actual.getDouble(i), 1e-5 + 1e-5 * Math.abs(e), pipeline + " element " + i);
            }
        }
    }
}
