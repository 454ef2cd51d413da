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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** fold-batch-norm computes the same function as the original, on random weights and inputs. */
class FoldBatchNormPassTest {

    private final Random random = new Random(42);

    @Test
    void depthwiseConvWithBiasMatchesTheOriginal() {
        Map<String, float[]> blobs = new LinkedHashMap<>();
        blobs.put("w", values(4 * 3 * 3, -1, 1));
        blobs.put("b", values(4, -1, 1));
        putBatchNormParameters(blobs, 4);
        String body = """
                func.func @f(%x: tensor<2x4x5x5xf32>) -> tensor<2x4x3x3xf32> {
                  %w = "nn.constant"() {value = dense_resource<w> : tensor<4x1x3x3xf32>} : () -> tensor<4x1x3x3xf32>
                  %b = "nn.constant"() {value = dense_resource<b> : tensor<4xf32>} : () -> tensor<4xf32>
                """ + batchNormConstants(4) + """
                  %y = "nn.conv"(%x, %w, %b) {group = 4, pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<2x4x5x5xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<2x4x3x3xf32>
                  %z:3 = "nn.batch_normalization"(%y, %scale, %bias, %mean, %var) {epsilon = 1.0e-03 : f32} : (tensor<2x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<2x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>)
                  func.return %z#0 : tensor<2x4x3x3xf32>
                }
                """;
        assertFoldedMatches(body, blobs, new long[] {2, 4, 5, 5});
    }

    @Test
    void convWithoutBiasMatchesTheOriginal() {
        Map<String, float[]> blobs = new LinkedHashMap<>();
        blobs.put("w", values(3 * 2 * 2 * 2, -1, 1));
        putBatchNormParameters(blobs, 3);
        String body = """
                func.func @f(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x3x3xf32> {
                  %w = "nn.constant"() {value = dense_resource<w> : tensor<3x2x2x2xf32>} : () -> tensor<3x2x2x2xf32>
                """ + batchNormConstants(3) + """
                  %y = "nn.conv"(%x, %w) : (tensor<1x2x4x4xf32>, tensor<3x2x2x2xf32>) -> tensor<1x3x3x3xf32>
                  %z:3 = "nn.batch_normalization"(%y, %scale, %bias, %mean, %var) : (tensor<1x3x3x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<1x3x3x3xf32>, tensor<3xf32>, tensor<3xf32>)
                  func.return %z#0 : tensor<1x3x3x3xf32>
                }
                """;
        assertFoldedMatches(body, blobs, new long[] {1, 2, 4, 4});
    }

    @Test
    void matmulMatchesTheOriginal() {
        Map<String, float[]> blobs = new LinkedHashMap<>();
        blobs.put("w", values(5 * 3, -1, 1));
        putBatchNormParameters(blobs, 3);
        String body = """
                func.func @f(%x: tensor<4x5xf32>) -> tensor<4x3xf32> {
                  %w = "nn.constant"() {value = dense_resource<w> : tensor<5x3xf32>} : () -> tensor<5x3xf32>
                """ + batchNormConstants(3) + """
                  %y = "nn.matmul"(%x, %w) : (tensor<4x5xf32>, tensor<5x3xf32>) -> tensor<4x3xf32>
                  %z:3 = "nn.batch_normalization"(%y, %scale, %bias, %mean, %var) : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>)
                  func.return %z#0 : tensor<4x3xf32>
                }
                """;
        assertFoldedMatches(body, blobs, new long[] {4, 5});
    }

    private void assertFoldedMatches(String body, Map<String, float[]> blobs, long[] inputShape) {
        String text = "module {\n" + body + "}\n" + resources(blobs);
        Module original = parse(text);
        Module folded = parse(text);
        var result = new PassManager(PassPipeline.parse("fold-batch-norm")).disableCrashReproducer().run(folded);
        assertEquals(1L, result.passes().get(0).counter("batch-norms-folded"),
                () -> IRPrinter.print(folded));
        String printed = IRPrinter.print(folded);
        assertTrue(!printed.contains("nn.batch_normalization"), printed);
        assertTrue(folded.resource("w") == null, "the old weights' blob is dropped");
        TensorType inputType = TensorType.of(ScalarType.F32, inputShape);
        DenseElementsAttr x = DenseElementsAttr.fromDoubles(inputType, doubles(values((int) inputType.numElements(), -2, 2)));
        double[] expected = new Interpreter(original).run("f", List.of(x)).get(0).toDoubles();
        double[] actual = new Interpreter(folded).run("f", List.of(x)).get(0).toDoubles();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    private void putBatchNormParameters(Map<String, float[]> blobs, int channels) {
        blobs.put("scale", values(channels, 0.5, 2));
        blobs.put("bias", values(channels, -1, 1));
        blobs.put("mean", values(channels, -1, 1));
        blobs.put("var", values(channels, 0.1, 3));
    }

    private static String batchNormConstants(int channels) {
        StringBuilder s = new StringBuilder();
        for (String name : List.of("scale", "bias", "mean", "var")) {
            s.append("  %").append(name).append(" = \"nn.constant\"() {value = dense_resource<").append(name)
                    .append("> : tensor<").append(channels).append("xf32>} : () -> tensor<").append(channels)
                    .append("xf32>\n");
        }
        return s.toString();
    }

    private float[] values(int n, double low, double high) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return v;
    }

    private static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** A resource table holding each array as little-endian f32, 64-byte aligned. */
    private static String resources(Map<String, float[]> blobs) {
        StringBuilder s = new StringBuilder("{-#\n  dialect_resources: {\n    builtin: {\n");
        int i = 0;
        for (var e : blobs.entrySet()) {
            ByteBuffer buf = ByteBuffer.allocate(4 + 4 * e.getValue().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.putInt(64);
            for (float f : e.getValue()) {
                buf.putFloat(f);
            }
            s.append("      ").append(e.getKey()).append(": \"0x").append(HexFormat.of().withUpperCase().formatHex(buf.array()))
                    .append(++i < blobs.size() ? "\",\n" : "\"\n");
        }
        return s.append("    }\n  }\n#-}\n").toString();
    }
}
