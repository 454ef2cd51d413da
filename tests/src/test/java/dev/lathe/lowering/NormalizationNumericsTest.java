package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Numerics of the recognized and fused forms against the reference: {@code nn.rms_norm} (kernel
 * and the decomposed RMSNorm that the default pipeline recognizes), LayerNorm on rows with a large
 * mean (1e4 + noise in [-1, 1]) decomposed and recognized, and {@code nn.attention} with fully
 * masked rows.
 *
 * <p>Tolerances: rms_norm accumulates its sum of squares in f32 where the interpreter uses double,
 * rtol 1e-5 / atol 1e-6. Large-mean LayerNorm: the f32 mean of 1e4-sized values is off by a few
 * ulps of 1e4 (about 1e-3), which shifts the centred values (about 0.6) by that much, so
 * atol 5e-3 on outputs of magnitude ~1.7; E[x^2] - E[x]^2 in f32 would lose the variance
 * entirely (ulp(1e8) = 8 against a variance of 1/3) and fail by O(1). Attention: exp and
 * summation rounding, rtol 1e-5 / atol 1e-6, and exact zeros on the fully masked rows.
 */
class NormalizationNumericsTest {

    private static final TensorType ROWS = TensorType.of(ScalarType.F32, 5, 37);

    @Test
    void rmsNormKernelMatchesInterpreter() {
        String lir = """
                func.func @f(%x: tensor<5x37xf32>, %g: tensor<37xf32>) -> tensor<5x37xf32> {
                  %y = "nn.rms_norm"(%x, %g) {axis = -1, epsilon = 1.0e-6 : f32} : (tensor<5x37xf32>, tensor<37xf32>) -> tensor<5x37xf32>
                  func.return %y : tensor<5x37xf32>
                }
                """;
        NativeCheck.checkKernel(lir, List.of(NativeCheck.random(ROWS, -3, 3, 1),
                NativeCheck.random(TensorType.of(ScalarType.F32, 37), 0.5, 1.5, 2)), 1e-5, 1e-6);
    }

    @Test
    void decomposedRmsNormMatchesInterpreter() {
        String lir = """
                func.func @f(%x: tensor<5x37xf32>, %g: tensor<37xf32>) -> tensor<5x37xf32> {
                  %two = "nn.constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
                  %eps = "nn.constant"() {value = dense<1.0e-6> : tensor<f32>} : () -> tensor<f32>
                  %p = "nn.pow"(%x, %two) : (tensor<5x37xf32>, tensor<f32>) -> tensor<5x37xf32>
                  %v = "nn.reduce_mean"(%p) {axes = [-1], keepdims = true} : (tensor<5x37xf32>) -> tensor<5x1xf32>
                  %e = "nn.add"(%v, %eps) : (tensor<5x1xf32>, tensor<f32>) -> tensor<5x1xf32>
                  %s = "nn.sqrt"(%e) : (tensor<5x1xf32>) -> tensor<5x1xf32>
                  %r = "nn.reciprocal"(%s) : (tensor<5x1xf32>) -> tensor<5x1xf32>
                  %n = "nn.mul"(%x, %r) : (tensor<5x37xf32>, tensor<5x1xf32>) -> tensor<5x37xf32>
                  %y = "nn.mul"(%n, %g) : (tensor<5x37xf32>, tensor<37xf32>) -> tensor<5x37xf32>
                  func.return %y : tensor<5x37xf32>
                }
                """;
        NativeCheck.check(lir, List.of(NativeCheck.random(ROWS, -3, 3, 3),
                NativeCheck.random(TensorType.of(ScalarType.F32, 37), 0.5, 1.5, 4)), 1e-5, 1e-6);
    }

    /** Rows of 64 values 1e4 + noise: the decomposed graph (optimized: recognized) and the op itself. */
    @Test
    void layerNormOnLargeMeanRows() {
        TensorType t = TensorType.of(ScalarType.F32, 4, 64);
        Random random = new Random(7);
        double[] x = new double[4 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1e4 + (random.nextDouble() * 2 - 1);
        }
        DenseElementsAttr input = DenseElementsAttr.fromDoubles(t, x);
        String decomposed = """
                func.func @f(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
                  %two = "nn.constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
                  %eps = "nn.constant"() {value = dense<1.0e-5> : tensor<f32>} : () -> tensor<f32>
                  %m = "nn.reduce_mean"(%x) {axes = [-1], keepdims = true} : (tensor<4x64xf32>) -> tensor<4x1xf32>
                  %d = "nn.sub"(%x, %m) : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
                  %p = "nn.pow"(%d, %two) : (tensor<4x64xf32>, tensor<f32>) -> tensor<4x64xf32>
                  %v = "nn.reduce_mean"(%p) {axes = [-1], keepdims = true} : (tensor<4x64xf32>) -> tensor<4x1xf32>
                  %e = "nn.add"(%v, %eps) : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
                  %s = "nn.sqrt"(%e) : (tensor<4x1xf32>) -> tensor<4x1xf32>
                  %n = "nn.div"(%d, %s) : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
                  func.return %n : tensor<4x64xf32>
                }
                """;
        NativeCheck.check(decomposed, List.of(input), 0, 5e-3);
        String fused = """
                func.func @f(%x: tensor<4x64xf32>, %one: tensor<64xf32>) -> tensor<4x64xf32> {
                  %y:3 = "nn.layer_normalization"(%x, %one) {axis = -1, epsilon = 1.0e-5 : f32} : (tensor<4x64xf32>, tensor<64xf32>) -> (tensor<4x64xf32>, tensor<4x1xf32>, tensor<4x1xf32>)
                  func.return %y#0 : tensor<4x64xf32>
                }
                """;
        NativeCheck.checkKernel(fused, List.of(input, DenseElementsAttr.splat(TensorType.of(ScalarType.F32, 64), 1.0)), 0, 5e-3);
    }

    /** Rows whose mask is all -inf give zeros natively, as the interpreter's nn.attention. */
    @Test
    void attentionWithFullyMaskedRows() {
        String lir = """
                func.func @f(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x8xf32>, %m: tensor<1x1x4x6xf32>) -> tensor<1x2x4x8xf32> {
                  %a = "nn.attention"(%q, %k, %v, %m) {k_transposed = false, scale = 0.35355338 : f32} : (tensor<1x2x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>, tensor<1x1x4x6xf32>) -> tensor<1x2x4x8xf32>
                  func.return %a : tensor<1x2x4x8xf32>
                }
                """;
        double[] mask = new double[4 * 6];
        for (int j = 0; j < 6; j++) {
            mask[6 + j] = Double.NEGATIVE_INFINITY; // row 1: every key masked
            mask[18 + j] = j < 5 ? Double.NEGATIVE_INFINITY : 0; // row 3: one key left
        }
        List<DenseElementsAttr> inputs = List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 1, 2, 4, 8), -2, 2, 5),
                NativeCheck.random(TensorType.of(ScalarType.F32, 1, 2, 6, 8), -2, 2, 6),
                NativeCheck.random(TensorType.of(ScalarType.F32, 1, 2, 6, 8), -2, 2, 7),
                DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 1, 1, 4, 6), mask));
        NativeCheck.checkKernel(lir, inputs, 1e-5, 1e-6);
        try (CompiledCpuModel model = CpuBackend.compile(IRParser.parse(lir, "test.lir"), inputs,
                CpuBackend.Options.defaults().withThreads(2))) {
            DenseElementsAttr out = model.run(inputs).getFirst();
            for (int h = 0; h < 2; h++) {
                for (int d = 0; d < 8; d++) {
                    assertEquals(0.0, out.getDouble(h * 32 + 8 + d), "fully masked row, head " + h);
                }
            }
        }
    }
}
