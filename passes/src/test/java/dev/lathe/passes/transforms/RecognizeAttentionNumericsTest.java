package dev.lathe.passes.transforms;

import static dev.lathe.passes.testing.IRTesting.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@code recognize-attention} against the reference interpreter: {@code nn.attention} computes
 * what the unfused graph does up to f32 rounding, and zeros where a fully masked row makes the
 * unfused softmax NaN.
 */
class RecognizeAttentionNumericsTest {

    /** MiniLM's form: k transposed by the graph, division by sqrt(d), a mask over keys. */
    private static final String MASKED = """
            module {
              func.func @f(%q: tensor<2x3x5x8xf32>, %k: tensor<2x3x6x8xf32>, %v: tensor<2x3x6x4xf32>, %mask: tensor<2x1x5x6xf32>) -> tensor<2x3x5x4xf32> {
                %c = "nn.constant"() {value = dense<2.828427> : tensor<f32>} : () -> tensor<f32>
                %kt = "nn.transpose"(%k) {perm = [0, 1, 3, 2]} : (tensor<2x3x6x8xf32>) -> tensor<2x3x8x6xf32>
                %s = "nn.matmul"(%q, %kt) : (tensor<2x3x5x8xf32>, tensor<2x3x8x6xf32>) -> tensor<2x3x5x6xf32>
                %d = "nn.div"(%s, %c) : (tensor<2x3x5x6xf32>, tensor<f32>) -> tensor<2x3x5x6xf32>
                %a = "nn.add"(%mask, %d) : (tensor<2x1x5x6xf32>, tensor<2x3x5x6xf32>) -> tensor<2x3x5x6xf32>
                %p = "nn.softmax"(%a) {axes = [-1]} : (tensor<2x3x5x6xf32>) -> tensor<2x3x5x6xf32>
                %o = "nn.matmul"(%p, %v) : (tensor<2x3x5x6xf32>, tensor<2x3x6x4xf32>) -> tensor<2x3x5x4xf32>
                func.return %o : tensor<2x3x5x4xf32>
              }
            }
            """;

    /** k given transposed, scale as a product, no mask, v broadcast over the batch. */
    private static final String UNMASKED = """
            module {
              func.func @f(%q: tensor<3x5x8xf32>, %kt: tensor<3x8x7xf32>, %v: tensor<7x4xf32>) -> tensor<3x5x4xf32> {
                %c = "nn.constant"() {value = dense<0.35355338> : tensor<f32>} : () -> tensor<f32>
                %s = "nn.matmul"(%q, %kt) : (tensor<3x5x8xf32>, tensor<3x8x7xf32>) -> tensor<3x5x7xf32>
                %d = "nn.mul"(%c, %s) : (tensor<f32>, tensor<3x5x7xf32>) -> tensor<3x5x7xf32>
                %p = "nn.softmax"(%d) {axes = [2]} : (tensor<3x5x7xf32>) -> tensor<3x5x7xf32>
                %o = "nn.matmul"(%p, %v) : (tensor<3x5x7xf32>, tensor<7x4xf32>) -> tensor<3x5x4xf32>
                func.return %o : tensor<3x5x4xf32>
              }
            }
            """;

    @Test
    void maskedAttentionMatchesTheUnfusedGraphAndZeroesFullyMaskedRows() {
        // Mask operand 3 of shape 2x1x5x6: row (batch 1, query 2) is -inf everywhere, some other entries -inf.
        int nanElements = assertRewriteKeepsValues(MASKED, (input, values) -> {
            if (input == 3) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = i % 7 == 0 ? Double.NEGATIVE_INFINITY : -Math.abs(values[i]);
                }
                int row = (1 * 5 + 2) * 6;
                for (int j = 0; j < 6; j++) {
                    values[row + j] = Double.NEGATIVE_INFINITY;
                }
            }
        });
        // Batch 1, query 2 of every head: 3 heads x 4 values.
        assertEquals(3 * 4 * 5, nanElements, "fully masked row elements over 5 trials");
    }

    @Test
    void unmaskedAttentionWithTransposedKMatchesTheUnfusedGraph() {
        assertEquals(0, assertRewriteKeepsValues(UNMASKED, (input, values) -> {}));
    }

    private interface InputShaper {
        void shape(int input, double[] values);
    }

    /**
     * Runs {@code recognize-attention} on {@code ir} and compares both modules on random inputs
     * (seeded, edited by {@code shaper}) where the unfused result is not NaN; where it is, the fused
     * one must be zero. Returns how many NaN elements the unfused graph gave.
     */
    private static int assertRewriteKeepsValues(String ir, InputShaper shaper) {
        Module original = parse(ir);
        Module rewritten = parse(ir);
        new PassManager(PassPipeline.parse("recognize-attention")).disableCrashReproducer().run(rewritten);
        String printed = IRPrinter.print(rewritten);
        assertTrue(printed.contains("\"nn.attention\""), printed);
        assertFalse(printed.contains("\"nn.softmax\""), printed);
        Random random = new Random(42);
        Interpreter reference = new Interpreter(original);
        Interpreter fused = new Interpreter(rewritten);
        int nans = 0;
        for (int trial = 0; trial < 5; trial++) {
            List<DenseElementsAttr> inputs = new ArrayList<>();
            int n = 0;
            for (var input : reference.signature("f").inputs()) {
                TensorType type = (TensorType) input.type();
                double[] values = new double[(int) type.numElements()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = 2 * random.nextGaussian();
                }
                shaper.shape(n++, values);
                inputs.add(DenseElementsAttr.fromDoubles(TensorType.of(type.shape(), ScalarType.F32), values));
            }
            DenseElementsAttr expected = reference.run("f", inputs).getFirst();
            DenseElementsAttr actual = fused.run("f", inputs).getFirst();
            assertEquals(expected.numElements(), actual.numElements());
            for (int i = 0; i < expected.numElements(); i++) {
                double e = expected.getDouble(i);
                if (Double.isNaN(e)) {
                    nans++;
                    assertEquals(0.0, actual.getDouble(i), "fully masked row, element " + i);
                } else {
                    assertEquals(e, actual.getDouble(i), 1e-5 + 1e-5 * Math.abs(e), "element " + i);
                }
            }
        }
        return nans;
    }
}
