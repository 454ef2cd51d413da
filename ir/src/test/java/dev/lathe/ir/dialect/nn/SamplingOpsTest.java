package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.array;
import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** nn.max_unpool, nn.grid_sample and nn.roi_align. */
class SamplingOpsTest {

    private static final Map<String, Attribute> UNPOOL = Map.of("kernel_shape", array(2, 2), "strides", array(2, 2));

    @Test
    void maxUnpoolWritesValuesAtTheirIndices() {
        assertEquals("tensor<1x1x2x4xf32>", infer("nn.max_unpool", UNPOOL, "tensor<1x1x1x2xf32>", "tensor<1x1x1x2xi64>"));
        assertEquals("tensor<1x1x?x?xf32>", infer("nn.max_unpool", UNPOOL, "tensor<1x1x1x2xf32>", "tensor<1x1x1x2xi64>",
                "tensor<4xi64>"));
        assertArrayEquals(new double[] {0, 5, 6, 0, 0, 0, 0, 0}, evaluate("nn.max_unpool", UNPOOL,
                doubles("tensor<1x1x1x2xf32>", 5, 6), longs("tensor<1x1x1x2xi64>", 1, 2)).toDoubles());
    }

    @Test
    void maxUnpoolRejectsIndicesOfAnotherShape() {
        NnTestIR ir = new NnTestIR(tensor("tensor<1x1x1x2xf32>"), tensor("tensor<1x1x2x2xi64>"));
        ir.op("nn.max_unpool", tensor("tensor<1x1x2x4xf32>"), UNPOOL, ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "expects i64 indices of the input's shape, found tensor<1x1x2x2xi64>");
    }

    @Test
    void gridSampleInterpolatesAtNormalizedCoordinates() {
        // Grid point (0, 0) is the centre: x = 0.5 between 10 and 20 (align_corners = false), y = row 0.
        assertEquals("tensor<1x1x1x1xf32>", infer("nn.grid_sample", "tensor<1x1x1x2xf32>", "tensor<1x1x1x2xf32>"));
        assertArrayEquals(new double[] {15}, evaluate("nn.grid_sample", doubles("tensor<1x1x1x2xf32>", 10, 20),
                doubles("tensor<1x1x1x2xf32>", 0, 0)).toDoubles());
        // Out of range with zeros padding: x = 2 is past the last element's outer edge.
        assertArrayEquals(new double[] {0}, evaluate("nn.grid_sample", Map.of("mode", new StringAttr("nearest")),
                doubles("tensor<1x1x1x2xf32>", 10, 20), doubles("tensor<1x1x1x2xf32>", 3, 0)).toDoubles());
    }

    @Test
    void roiAlignAveragesBilinearSamples() {
        Map<String, Attribute> attrs = Map.of("sampling_ratio", IntegerAttr.of(1),
                "coordinate_transformation_mode", new StringAttr("output_half_pixel"));
        assertEquals("tensor<3x2x1x1xf32>", infer("nn.roi_align", attrs, "tensor<1x2x4x4xf32>", "tensor<3x4xf32>",
                "tensor<3xi64>"));
        // One sample at (0.5, 0.5): the mean of the four pixels.
        assertArrayEquals(new double[] {2.5}, evaluate("nn.roi_align", attrs, doubles("tensor<1x1x2x2xf32>", 1, 2, 3, 4),
                doubles("tensor<1x4xf32>", 0, 0, 1, 1), longs("tensor<1xi64>", 0)).toDoubles());
    }
}
