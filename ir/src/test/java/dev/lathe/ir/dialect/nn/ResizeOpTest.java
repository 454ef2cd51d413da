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
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.StringAttr;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResizeOpTest {

    @Test
    void infersSizesFromScalesSizesAndTheDynamicForm() {
        assertEquals("tensor<1x1x4x6xf32>", infer("nn.resize", Map.of("scales", ConvAttrs.f32s(1, 1, 2, 3)),
                "tensor<1x1x2x2xf32>"));
        assertEquals("tensor<1x1x1x2xf32>", infer("nn.resize", Map.of("scales", ConvAttrs.f32s(1, 1, 0.6, 0.6)),
                "tensor<1x1x2x4xf32>"));
        assertEquals("tensor<?x3x5xf32>", infer("nn.resize", Map.of("sizes", array(5), "axes", array(2)),
                "tensor<?x3x2xf32>"));
        // not_larger: one scale min(4/2, 9/3) = 2 for both axes.
        assertEquals("tensor<4x6xf32>", infer("nn.resize", Map.of("sizes", array(4, 9),
                "keep_aspect_ratio_policy", new StringAttr("not_larger")), "tensor<2x3xf32>"));
        assertEquals("tensor<?x?xf32>", infer("nn.resize", "tensor<2x3xf32>", "tensor<2xi64>"));
    }

    @Test
    void rejectsBothScalesAndSizes() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xf32>"));
        ir.op("nn.resize", tensor("tensor<4xf32>"), Map.of("scales", ConvAttrs.f32s(2), "sizes", array(4)), ir.arg(0));
        assertOneError(ir.errors(), "expects exactly one of 'scales' and 'sizes'", "found both");
    }

    @Test
    void nearestRepeatsElementsOfAnyType() {
        DenseElementsAttr y = evaluate("nn.resize", Map.of("scales", ConvAttrs.f32s(2)), longs("tensor<2xi32>", 7, -3));
        assertArrayEquals(new long[] {7, 7, -3, -3}, y.toLongs());
    }

    @Test
    void linearInterpolatesWithHalfPixelAndAlignCorners() {
        DenseElementsAttr x = doubles("tensor<2xf32>", 1, 3);
        // half_pixel: sources -0.25, 0.25, 0.75, 1.25, clamped at the edges.
        assertArrayEquals(new double[] {1, 1.5, 2.5, 3}, evaluate("nn.resize", Map.of("mode", new StringAttr("linear"),
                "scales", ConvAttrs.f32s(2)), x).toDoubles());
        // align_corners: sources 0, 1/3, 2/3, 1.
        DenseElementsAttr aligned = evaluate("nn.resize", Map.of("mode", new StringAttr("linear"),
                "coordinate_transformation_mode", new StringAttr("align_corners"), "sizes", array(4)), x);
        assertArrayEquals(new double[] {1, 5 / 3.0, 7 / 3.0, 3}, aligned.toDoubles(), 1e-6);
    }

    @Test
    void cubicWeightsSumToOneAndKeepConstants() {
        double[] w = ResizeKernel.cubic(0.3, -0.75);
        assertEquals(1.0, w[0] + w[1] + w[2] + w[3], 1e-12);
        DenseElementsAttr y = evaluate("nn.resize", Map.of("mode", new StringAttr("cubic"), "scales", ConvAttrs.f32s(1.5)),
                doubles("tensor<4xf64>", 2, 2, 2, 2));
        assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2}, y.toDoubles(), 1e-12);
    }
}
