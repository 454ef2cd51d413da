package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.ModelAssertionException;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.roi_align} natively against the interpreter: avg and max, both coordinate modes, a
 * fixed and the adaptive sampling ratio, a spatial scale, boxes reaching past the input (samples
 * more than a pixel outside count 0) and degenerate boxes; a batch index out of range fails the
 * call. Tolerance: the reference's f64 arithmetic in its order, rounded once: rtol 1e-6.
 */
class RoiAlignLoweringTest {

    private static final TensorType X = TensorType.of(ScalarType.F32, 2, 3, 10, 8);
    private static final TensorType ROIS = TensorType.of(ScalarType.F32, 5, 4);
    private static final TensorType BATCH = TensorType.of(ScalarType.I64, 5);

    private static String roiAlign(String attrs) {
        TensorType y = TensorType.of(ScalarType.F32, 5, 3, 3, 4);
        return "func.func @f(%x: " + X.text() + ", %r: " + ROIS.text() + ", %b: " + BATCH.text() + ") -> " + y.text()
                + " {\n  %y = \"nn.roi_align\"(%x, %r, %b) {output_height = 3, output_width = 4, " + attrs + "} : ("
                + X.text() + ", " + ROIS.text() + ", " + BATCH.text() + ") -> " + y.text() + "\n  func.return %y : "
                + y.text() + "\n}\n";
    }

    private static List<DenseElementsAttr> inputs(long... batch) {
        double[] boxes = {
            0, 0, 7, 9, // the whole image
            1.5, 2.25, 5.5, 6.75, // inside
            -3, -2, 4, 12.5, // past the borders
            6, 4, 3, 2, // x2 < x1, y2 < y1
            2, 3, 2, 3, // empty
        };
        return List.of(NativeCheck.random(X, -2, 2, 1), DenseElementsAttr.fromDoubles(ROIS, boxes),
                DenseElementsAttr.fromLongs(BATCH, batch));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mode = \"avg\", sampling_ratio = 2",
        "mode = \"avg\", sampling_ratio = 0",
        "mode = \"max\", sampling_ratio = 2",
        "mode = \"max\", sampling_ratio = 0, spatial_scale = 0.5 : f32",
        "mode = \"avg\", sampling_ratio = 0, coordinate_transformation_mode = \"output_half_pixel\"",
        "mode = \"max\", sampling_ratio = 3, coordinate_transformation_mode = \"output_half_pixel\"",
    })
    void matchesInterpreter(String attrs) {
        NativeCheck.check(roiAlign(attrs), inputs(0, 1, 1, 0, 1), 1e-6, 1e-7);
    }

    @Test
    void batchIndexOutOfRangeFailsTheCall() {
        List<DenseElementsAttr> in = inputs(0, 1, 2, 0, 1);
        try (CompiledCpuModel model = CpuBackend.compile(IRParser.parse(roiAlign("sampling_ratio = 2"), "test.lir"), in,
                CpuBackend.Options.defaults().withThreads(2))) {
            ModelAssertionException e = assertThrows(ModelAssertionException.class, () -> model.run(in));
            assertTrue(e.getMessage().contains("batch index"), e.getMessage());
        }
    }
}
