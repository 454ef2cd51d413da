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
import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvOpTest {

    @Test
    void infersOutputSizesFromPadsStridesDilationsAndAutoPad() {
        Map<String, Attribute> padded = Map.of("pads", array(1, 0, 1, 0), "strides", array(2, 2));
        assertEquals("tensor<1x1x4x2xf32>", infer("nn.conv", padded, "tensor<1x1x7x5xf32>", "tensor<1x1x3x3xf32>"));
        assertEquals("tensor<?x8x3x?xf32>", infer("nn.conv", Map.of("auto_pad", new StringAttr("same_upper"),
                "strides", array(2, 2)), "tensor<?x4x5x?xf32>", "tensor<8x4x3x3xf32>"));
        assertEquals("tensor<1x6x6xf32>", infer("nn.conv", Map.of("dilations", array(2), "group", IntegerAttr.of(2)),
                "tensor<1x4x10xf32>", "tensor<6x2x3xf32>"));
        assertEquals("tensor<1x2x7x7xf32>", infer("nn.conv_transpose", Map.of("strides", array(2, 2)),
                "tensor<1x1x3x3xf32>", "tensor<1x2x3x3xf32>"));
        assertEquals("tensor<1x2x10x8xf32>", infer("nn.conv_transpose", Map.of("strides", array(3, 2),
                "output_shape", array(10, 8)), "tensor<1x1x3x3xf32>", "tensor<1x2x3x3xf32>"));
    }

    @Test
    void rejectsWeightsWhoseChannelsDoNotMatchTheInput() {
        NnTestIR ir = new NnTestIR(tensor("tensor<1x3x5x5xf32>"), tensor("tensor<2x2x3x3xf32>"));
        ir.op("nn.conv", tensor("tensor<1x2x3x3xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "expects input channels = weight dim 1 x group",
                "tensor<1x3x5x5xf32>", "tensor<2x2x3x3xf32>");
    }

    @Test
    void convolvesWithPaddingAndBias() {
        // x = 1..9 in a 3x3 image, 2x2 kernel of ones, pads 1 at the end: window sums plus bias 0.5.
        DenseElementsAttr x = doubles("tensor<1x1x3x3xf32>", 1, 2, 3, 4, 5, 6, 7, 8, 9);
        DenseElementsAttr w = doubles("tensor<1x1x2x2xf32>", 1, 1, 1, 1);
        DenseElementsAttr b = doubles("tensor<1xf32>", 0.5);
        DenseElementsAttr y = evaluate("nn.conv", Map.of("pads", array(0, 0, 1, 1)), x, w, b);
        assertEquals(tensor("tensor<1x1x3x3xf32>"), y.type());
        assertArrayEquals(new double[] {12.5, 16.5, 9.5, 24.5, 28.5, 15.5, 15.5, 17.5, 9.5}, y.toDoubles());
    }

    @Test
    void integerConvolutionWrapsAndConvIntegerShiftsZeroPoints() {
        DenseElementsAttr y = evaluate("nn.conv", longs("tensor<1x1x2xi8>", 100, 100), longs("tensor<1x1x2xi8>", 1, 1));
        assertArrayEquals(new long[] {-56}, y.toLongs());
        DenseElementsAttr q = evaluate("nn.conv_integer", longs("tensor<1x1x2x2xu8>", 2, 3, 4, 5),
                longs("tensor<1x1x1x1xu8>", 3), longs("tensor<u8>", 1), longs("tensor<1xu8>", 1));
        assertEquals(tensor("tensor<1x1x2x2xi32>"), q.type());
        assertArrayEquals(new long[] {2, 4, 6, 8}, q.toLongs());
    }

    @Test
    void transposedConvolutionScattersWithStrides() {
        // 1-D: x = [1, 2], kernel [1, 10], stride 2: [1, 10, 2, 20].
        DenseElementsAttr y = evaluate("nn.conv_transpose", Map.of("strides", array(2)),
                doubles("tensor<1x1x2xf32>", 1, 2), doubles("tensor<1x1x2xf32>", 1, 10));
        assertArrayEquals(new double[] {1, 10, 2, 20}, y.toDoubles());
        // Overlapping windows add up: stride 1 gives [1, 12, 20].
        DenseElementsAttr overlap = evaluate("nn.conv_transpose", doubles("tensor<1x1x2xf32>", 1, 2),
                doubles("tensor<1x1x2xf32>", 1, 10));
        assertArrayEquals(new double[] {1, 12, 20}, overlap.toDoubles());
    }
}
