package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.resize} natively against the interpreter: every mode and coordinate transformation,
 * exclude_outside, crop-and-resize with extrapolation, axes with a keep-aspect-ratio policy,
 * integer nearest, f16, and the dynamic form whose target is a graph input (frozen, then made an
 * attribute by canonicalization). Tolerance: the kernel computes taps, weights and sums in f64 in
 * the interpreter's order and rounds once, so results agree to the last bit in practice; rtol
 * 1e-6 (a few f32 ulps) only leaves room for a different summation order of the skipped
 * identity axes. Integers compare exactly; f16 within one f16 ulp.
 */
class ResizeLoweringTest {

    private static final TensorType X = TensorType.of(ScalarType.F32, 2, 3, 5, 7);

    private static String resize(String attrs, TensorType in, TensorType out) {
        return """
                func.func @f(%x: IN) -> OUT {
                  %y = "nn.resize"(%x) {ATTRS} : (IN) -> OUT
                  func.return %y : OUT
                }
                """.replace("IN", in.text()).replace("OUT", out.text()).replace("ATTRS", attrs);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "nearest, half_pixel", "nearest, asymmetric", "nearest, align_corners", "nearest, tf_half_pixel_for_nn",
        "linear, half_pixel", "linear, pytorch_half_pixel", "linear, align_corners", "linear, asymmetric",
        "linear, half_pixel_symmetric", "cubic, half_pixel", "cubic, align_corners", "cubic, asymmetric",
        "cubic, half_pixel_symmetric",
    })
    void everyTransformUpAndDown(String mode, String transform) {
        String common = "mode = \"" + mode + "\", coordinate_transformation_mode = \"" + transform + "\"";
        TensorType up = TensorType.of(ScalarType.F32, 2, 3, 8, 17);
        NativeCheck.check(resize(common + ", scales = [1.0 : f32, 1.0 : f32, 1.7 : f32, 2.5 : f32]", X, up),
                List.of(NativeCheck.random(X, -2, 2, 1)), 1e-6, 1e-7);
        TensorType down = TensorType.of(ScalarType.F32, 2, 3, 3, 4);
        NativeCheck.check(resize(common + ", sizes = [2, 3, 3, 4]", X, down), List.of(NativeCheck.random(X, -2, 2, 2)),
                1e-6, 1e-7);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"})
    void nearestModesOnIntegersAreExact(String nearestMode) {
        TensorType in = TensorType.of(ScalarType.I32, 1, 2, 4, 6);
        TensorType out = TensorType.of(ScalarType.I32, 1, 2, 6, 9);
        String attrs = "nearest_mode = \"" + nearestMode + "\", axes = [3, 2], scales = [1.5 : f32, 1.5 : f32]";
        NativeCheck.check(resize(attrs, in, out), List.of(NativeCheck.random(in, -100, 100, 3)), 0, 0);
    }

    @Test
    void cubicExcludeOutsideWithOtherCoefficient() {
        TensorType out = TensorType.of(ScalarType.F32, 2, 3, 8, 4); // 5 * 1.8 in f32 is just below 9
        String attrs = "mode = \"cubic\", cubic_coeff_a = -0.5 : f32, exclude_outside = true, "
                + "scales = [1.0 : f32, 1.0 : f32, 1.8 : f32, 0.6 : f32]";
        NativeCheck.check(resize(attrs, X, out), List.of(NativeCheck.random(X, -2, 2, 4)), 1e-6, 1e-7);
    }

    @Test
    void cropAndResizeExtrapolatesOutsideTheInput() {
        TensorType out = TensorType.of(ScalarType.F32, 2, 3, 6, 5);
        String attrs = "mode = \"linear\", coordinate_transformation_mode = \"tf_crop_and_resize\", "
                + "extrapolation_value = 7.5 : f32, axes = [2, 3], sizes = [6, 5], "
                + "roi = [-0.2 : f32, 0.3 : f32, 0.9 : f32, 1.4 : f32]";
        NativeCheck.check(resize(attrs, X, out), List.of(NativeCheck.random(X, -2, 2, 5)), 1e-6, 1e-7);
    }

    @Test
    void keepAspectRatioPolicyWithAxes() {
        TensorType out = TensorType.of(ScalarType.F32, 2, 3, 10, 14);
        String attrs = "mode = \"linear\", axes = [3, 2], keep_aspect_ratio_policy = \"not_smaller\", sizes = [9, 10]";
        NativeCheck.check(resize(attrs, X, out), List.of(NativeCheck.random(X, -2, 2, 6)), 1e-6, 1e-7);
    }

    @Test
    void halfPrecisionRoundsOnce() {
        TensorType in = TensorType.of(ScalarType.F16, 1, 2, 5, 7);
        TensorType out = TensorType.of(ScalarType.F16, 1, 2, 10, 14);
        NativeCheck.check(resize("mode = \"cubic\", scales = [1.0 : f32, 1.0 : f32, 2.0 : f32, 2.0 : f32]", in, out),
                List.of(NativeCheck.random(in, -2, 2, 7)), 1e-3, 1e-3);
    }

    /** Scales and roi arrive as graph inputs: the backend freezes them and the result becomes static. */
    @Test
    void targetAndRoiFromGraphInputs() {
        String lir = """
                func.func @f(%x: tensor<2x3x5x7xf32>, %roi: tensor<8xf32>, %s: tensor<4xi64>) -> tensor<?x?x?x?xf32> {
                  %y = "nn.resize"(%x, %roi, %s) {mode = "cubic", coordinate_transformation_mode = "tf_crop_and_resize"} : (tensor<2x3x5x7xf32>, tensor<8xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
                  func.return %y : tensor<?x?x?x?xf32>
                }
                """;
        DenseElementsAttr roi = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 8),
                new double[] {0, 0, 0.1, 0.2, 1, 1, 0.8, 0.9});
        DenseElementsAttr sizes = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, 4), new long[] {2, 3, 4, 6});
        NativeCheck.check(lir, List.of(NativeCheck.random(X, -2, 2, 8), roi, sizes), 1e-6, 1e-7);
    }
}
