package dev.lathe.lowering;

import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.grid_sample} natively against the interpreter: every mode, padding mode and
 * align_corners on 2-D images, and nearest/linear on a 3-D volume (whose nearest rounds half away
 * from zero). The grid spans [-1.6, 1.6], so every padding path runs. Tolerance: taps and sums are
 * the reference's f64 arithmetic in its order, rounded once; rtol 1e-6 allows nothing beyond a
 * last-bit difference.
 */
class GridSampleLoweringTest {

    private static String gridSample(String attrs, TensorType x, TensorType g, TensorType y) {
        return "func.func @f(%x: " + x.text() + ", %g: " + g.text() + ") -> " + y.text() + " {\n"
                + "  %y = \"nn.grid_sample\"(%x, %g) {" + attrs + "} : (" + x.text() + ", " + g.text() + ") -> "
                + y.text() + "\n  func.return %y : " + y.text() + "\n}\n";
    }

    @ParameterizedTest(name = "{0} {1} align={2}")
    @CsvSource({
        "linear, zeros, false", "linear, border, true", "linear, reflection, false", "linear, reflection, true",
        "nearest, zeros, true", "nearest, border, false", "nearest, reflection, false",
        "cubic, zeros, false", "cubic, border, true", "cubic, reflection, false",
    })
    void images(String mode, String padding, boolean align) {
        TensorType x = TensorType.of(ScalarType.F32, 2, 3, 5, 6);
        TensorType g = TensorType.of(ScalarType.F32, 2, 4, 7, 2);
        TensorType y = TensorType.of(ScalarType.F32, 2, 3, 4, 7);
        String attrs = "mode = \"" + mode + "\", padding_mode = \"" + padding + "\", align_corners = " + align;
        NativeCheck.check(gridSample(attrs, x, g, y),
                List.of(NativeCheck.random(x, -2, 2, 1), NativeCheck.random(g, -1.6, 1.6, 2)), 1e-6, 1e-7);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"nearest, zeros", "linear, reflection", "linear, border"})
    void volumes(String mode, String padding) {
        TensorType x = TensorType.of(ScalarType.F32, 1, 2, 3, 4, 5);
        TensorType g = TensorType.of(ScalarType.F32, 1, 2, 3, 4, 3);
        TensorType y = TensorType.of(ScalarType.F32, 1, 2, 2, 3, 4);
        String attrs = "mode = \"" + mode + "\", padding_mode = \"" + padding + "\"";
        NativeCheck.check(gridSample(attrs, x, g, y),
                List.of(NativeCheck.random(x, -2, 2, 3), NativeCheck.random(g, -1.6, 1.6, 4)), 1e-6, 1e-7);
    }
}
