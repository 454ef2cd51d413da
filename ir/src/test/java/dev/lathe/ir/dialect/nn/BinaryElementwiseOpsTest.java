package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.StringAttr;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** nn.pow, nn.mod, nn.bit_shift, nn.prelu and nn.where. */
class BinaryElementwiseOpsTest {

    private static final Map<String, Attribute> FMOD = Map.of("fmod", BoolAttr.of(true));

    @Test
    void powKeepsTheBaseElementType() {
        assertEquals("tensor<?x3xi32>", infer("nn.pow", "tensor<?x3xi32>", "tensor<f32>"));
        assertArrayEquals(new double[] {8, 0.25, 3}, evaluate("nn.pow", doubles("tensor<3xf32>", 2, 2, 9),
                doubles("tensor<3xf32>", 3, -2, 0.5)).toDoubles());
        assertArrayEquals(new long[] {1, 32, 2}, evaluate("nn.pow", longs("tensor<3xi32>", 1, 2, 3),
                doubles("tensor<3xf32>", 4, 5, 0.7)).toLongs(), "3^0.7 = 2.16 truncates to 2");
    }

    @Test
    void integerPowWrapsAndTruncatesNegativeExponents() {
        assertArrayEquals(new long[] {0, 1, -1, 0}, evaluate("nn.pow", longs("tensor<4xi64>", 2, 1, -1, 5),
                longs("tensor<4xi64>", 64, -3, -3, -1)).toLongs());
        assertArrayEquals(new long[] {-128}, evaluate("nn.pow", longs("tensor<1xi8>", 2), longs("tensor<1xu8>", 7))
                .toLongs(), "2^7 = 128 wraps to -128 in i8");
    }

    @Test
    void modFollowsTheDivisorUnlessFmod() {
        var a = longs("tensor<4xi32>", -7, 7, -7, 7);
        var b = longs("tensor<4xi32>", 2, -2, -2, 2);
        assertArrayEquals(new long[] {1, -1, -1, 1}, evaluate("nn.mod", a, b).toLongs());
        assertArrayEquals(new long[] {-1, 1, -1, 1}, evaluate("nn.mod", FMOD, a, b).toLongs());
        assertArrayEquals(new double[] {-1.5, 1.5}, evaluate("nn.mod", FMOD, doubles("tensor<2xf32>", -7.5, 7.5),
                doubles("tensor<f32>", -3)).toDoubles());
        assertThrows(ArithmeticException.class,
                () -> evaluate("nn.mod", longs("tensor<1xi8>", 3), longs("tensor<1xi8>", 0)));
    }

    @Test
    void floatModRequiresFmod() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xf32>"), tensor("tensor<2xf32>"));
        ir.op("nn.mod", tensor("tensor<2xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(),
                "'nn.mod' op expects fmod = true for float elements (tensor<2xf32>), found fmod = false");
    }

    @Test
    void bitShiftDropsBitsAndTreatsWideShiftsAsZero() {
        Map<String, Attribute> left = Map.of("direction", new StringAttr("left"));
        Map<String, Attribute> right = Map.of("direction", new StringAttr("right"));
        var x = longs("tensor<3xu8>", 16, 200, 255);
        var s = longs("tensor<3xu8>", 1, 1, 8);
        assertArrayEquals(new long[] {32, 144, 0}, evaluate("nn.bit_shift", left, x, s).toLongs());
        assertArrayEquals(new long[] {8, 100, 0}, evaluate("nn.bit_shift", right, x, s).toLongs());
        assertArrayEquals(new long[] {Long.MAX_VALUE}, evaluate("nn.bit_shift", right, longs("tensor<1xu64>", -1L),
                longs("tensor<u64>", 1)).toLongs(), "logical right shift of u64");
    }

    @Test
    void bitShiftNeedsADirection() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xu8>"), tensor("tensor<2xu8>"));
        ir.op("nn.bit_shift", tensor("tensor<2xu8>"), Map.of("direction", new StringAttr("up")), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "expects direction \"left\" or \"right\", found \"up\"");
    }

    @Test
    void preluScalesNegativesBySlopeBroadcastToX() {
        assertEquals("tensor<?x3xf32>", infer("nn.prelu", "tensor<?x3xf32>", "tensor<3xf32>"));
        assertArrayEquals(new double[] {-1, 2, -0.5, 4}, evaluate("nn.prelu", doubles("tensor<2x2xf32>", -2, 2, -1, 4),
                doubles("tensor<2x1xf32>", 0.5, 0.5)).toDoubles());
        assertArrayEquals(new long[] {-6, 3}, evaluate("nn.prelu", longs("tensor<2xi32>", -2, 3),
                longs("tensor<i32>", 3)).toLongs());
        NnTestIR ir = new NnTestIR(tensor("tensor<3xf32>"), tensor("tensor<2x3xf32>"));
        ir.op("nn.prelu", tensor("tensor<3xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "expects the slope to broadcast to x tensor<3xf32>");
    }

    @Test
    void whereBroadcastsAllThreeAndNeedsAnI1Condition() {
        assertEquals("tensor<2x3xi64>", infer("nn.where", "tensor<2x1xi1>", "tensor<3xi64>", "tensor<i64>"));
        assertArrayEquals(new long[] {1, 2, 3, -1, -1, -1}, evaluate("nn.where", longs("tensor<2x1xi1>", 1, 0),
                longs("tensor<3xi64>", 1, 2, 3), longs("tensor<i64>", -1)).toLongs());
        NnTestIR ir = new NnTestIR(tensor("tensor<2xf32>"), tensor("tensor<2xf32>"), tensor("tensor<2xf32>"));
        ir.op("nn.where", tensor("tensor<2xf32>"), Map.of(), ir.arg(0), ir.arg(1), ir.arg(2));
        assertOneError(ir.errors(), "'nn.where' op expects i1 elements in the condition, found f32");
    }
}
