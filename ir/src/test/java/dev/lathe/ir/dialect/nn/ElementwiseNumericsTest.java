package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.attr.DenseElementsAttr;
import org.junit.jupiter.api.Test;

class ElementwiseNumericsTest {

    @Test
    void f32ResultsAreRoundedToFloatNotKeptInDouble() {
        DenseElementsAttr r = evaluate("nn.add", doubles("tensor<2xf32>", 16777216, 0.1),
                doubles("tensor<2xf32>", 1, 0.2));
        // 2^24 + 1 is not a float: it rounds to even, 2^24. 0.1f + 0.2f is the float nearest their sum.
        assertArrayEquals(new double[] {16777216, 0.1f + 0.2f}, r.toDoubles());
        DenseElementsAttr q = evaluate("nn.div", doubles("tensor<1xf32>", 1), doubles("tensor<1xf32>", 3));
        assertEquals(1f / 3f, q.getDouble(0));
    }

    @Test
    void f16ArithmeticRoundsToHalfPrecision() {
        // Spacing of f16 at 2048 is 2: 2048 + 1 ties to even (2048), 2048 + 3 rounds to 2052; 2^-10 survives at 1.
        DenseElementsAttr r = evaluate("nn.add", doubles("tensor<3xf16>", 2048, 2048, 1),
                doubles("tensor<3xf16>", 1, 3, Math.scalb(1.0, -10)));
        assertArrayEquals(new double[] {2048, 2052, 1 + Math.scalb(1.0, -10)}, r.toDoubles());
        assertEquals(65504, evaluate("nn.mul", doubles("tensor<1xf16>", 32752), doubles("tensor<1xf16>", 2))
                .getDouble(0));
        assertEquals(Double.POSITIVE_INFINITY, evaluate("nn.mul", doubles("tensor<1xf16>", 65504),
                doubles("tensor<1xf16>", 2)).getDouble(0), "overflow past the f16 maximum");
    }

    @Test
    void bf16ArithmeticRoundsToEightBitsOfPrecision() {
        // bf16 has 8 significant bits: 256 + 1 ties to 256, 256 + 3 rounds to 260.
        DenseElementsAttr r = evaluate("nn.add", doubles("tensor<2xbf16>", 256, 256), doubles("tensor<2xbf16>", 1, 3));
        assertArrayEquals(new double[] {256, 260}, r.toDoubles());
        assertEquals(1.5, evaluate("nn.div", doubles("tensor<1xbf16>", 3), doubles("tensor<1xbf16>", 2)).getDouble(0));
    }

    @Test
    void floatDivisionFollowsIeee() {
        DenseElementsAttr r = evaluate("nn.div", doubles("tensor<3xf32>", 1, -1, 0), doubles("tensor<3xf32>", 0, 0, 0));
        assertEquals(Double.POSITIVE_INFINITY, r.getDouble(0));
        assertEquals(Double.NEGATIVE_INFINITY, r.getDouble(1));
        assertTrue(Double.isNaN(r.getDouble(2)));
    }

    @Test
    void i8ArithmeticWrapsAround() {
        assertArrayEquals(new long[] {-56, -128}, evaluate("nn.add", longs("tensor<2xi8>", 100, 127),
                longs("tensor<2xi8>", 100, 1)).toLongs());
        assertArrayEquals(new long[] {127}, evaluate("nn.sub", longs("tensor<1xi8>", -128), longs("tensor<1xi8>", 1))
                .toLongs());
        assertArrayEquals(new long[] {0, -128}, evaluate("nn.mul", longs("tensor<2xi8>", 16, -128),
                longs("tensor<2xi8>", 16, 1)).toLongs());
        assertArrayEquals(new long[] {-128}, evaluate("nn.div", longs("tensor<1xi8>", -128), longs("tensor<1xi8>", -1))
                .toLongs(), "-128 / -1 = 128 wraps to -128");
    }

    @Test
    void u8IsUnsignedAndWrapsModulo256() {
        assertArrayEquals(new long[] {44, 254}, evaluate("nn.add", longs("tensor<2xu8>", 200, 255),
                longs("tensor<2xu8>", 100, 255)).toLongs());
        assertArrayEquals(new long[] {254}, evaluate("nn.sub", longs("tensor<1xu8>", 3), longs("tensor<1xu8>", 5))
                .toLongs());
        assertArrayEquals(new long[] {66, 127}, evaluate("nn.div", longs("tensor<2xu8>", 200, 255),
                longs("tensor<2xu8>", 3, 2)).toLongs(), "200 is not read as -56");
    }

    @Test
    void integerDivisionTruncatesTowardZero() {
        DenseElementsAttr r = evaluate("nn.div", longs("tensor<4xi64>", -7, 7, -7, Long.MAX_VALUE),
                longs("tensor<4xi64>", 2, -2, -2, 3));
        assertArrayEquals(new long[] {-3, -3, 3, Long.MAX_VALUE / 3}, r.toLongs());
        assertArrayEquals(new long[] {-2}, evaluate("nn.div", longs("tensor<1xi32>", -5), longs("tensor<1xi32>", 2))
                .toLongs());
    }

    @Test
    void integerDivisionByZeroThrowsArithmeticException() {
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> evaluate("nn.div", longs("tensor<2xi32>", 4, 5), longs("tensor<2xi32>", 2, 0)));
        assertTrue(e.getMessage().contains("nn.div"), e.getMessage());
        assertTrue(e.getMessage().contains("integer division by zero"), e.getMessage());
        ArithmeticException zeroByZero = assertThrows(ArithmeticException.class,
                () -> evaluate("nn.div", longs("tensor<1xu8>", 0), longs("tensor<1xu8>", 0)));
        assertTrue(zeroByZero.getMessage().contains("integer division by zero (0 / 0)"), zeroByZero.getMessage());
    }

    @Test
    void rowVectorBroadcastsOverEveryRow() {
        DenseElementsAttr r = evaluate("nn.add", doubles("tensor<2x3xf32>", 1, 2, 3, 4, 5, 6),
                doubles("tensor<3xf32>", 10, 20, 30));
        assertEquals(tensor("tensor<2x3xf32>"), r.type());
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, r.toDoubles());
    }

    @Test
    void columnAndRowBroadcastToAnOuterOperation() {
        DenseElementsAttr r = evaluate("nn.sub", longs("tensor<2x1xi32>", 1, 2), longs("tensor<1x3xi32>", 10, 20, 30));
        assertEquals(tensor("tensor<2x3xi32>"), r.type());
        assertArrayEquals(new long[] {-9, -19, -29, -8, -18, -28}, r.toLongs());
    }

    @Test
    void scalarTensorBroadcastsEverywhere() {
        DenseElementsAttr r = evaluate("nn.mul", doubles("tensor<f64>", 0.5), doubles("tensor<2x2xf64>", 1, 2, 3, 4));
        assertArrayEquals(new double[] {0.5, 1, 1.5, 2}, r.toDoubles());
    }

    @Test
    void addingNegativeZeroKeepsNegativeZeroButPositiveZeroDoesNot() {
        DenseElementsAttr keep = evaluate("nn.add", doubles("tensor<1xf32>", -0.0), doubles("tensor<1xf32>", -0.0));
        DenseElementsAttr flip = evaluate("nn.add", doubles("tensor<1xf32>", -0.0), doubles("tensor<1xf32>", 0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(keep.getDouble(0)));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(flip.getDouble(0)));
    }
}
