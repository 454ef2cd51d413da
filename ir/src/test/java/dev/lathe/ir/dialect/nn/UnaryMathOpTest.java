package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.fold;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnaryMathOpTest {

    @Test
    void resultHasTheOperandTypeButPredicatesGiveI1() {
        assertEquals("tensor<?x4xbf16>", infer("nn.exp", "tensor<?x4xbf16>"));
        assertEquals("tensor<?x4xi1>", infer("nn.is_nan", "tensor<?x4xf16>"));
        assertEquals("tensor<3xi1>", infer("nn.not", "tensor<3xi1>"));
    }

    @Test
    void rejectsElementKindsTheFunctionDoesNotTake() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xi32>"));
        ir.op("nn.exp", tensor("tensor<2xi32>"), Map.of(), ir.arg(0));
        assertOneError(ir.errors(), "'nn.exp' op expects float elements, found i32 in tensor<2xi32>");
        NnTestIR neg = new NnTestIR(tensor("tensor<2xu8>"));
        neg.op("nn.neg", tensor("tensor<2xu8>"), Map.of(), neg.arg(0));
        assertOneError(neg.errors(), "expects float or signed integer elements, found u8");
    }

    @Test
    void activationsUseTheirAttributesOrOnnxDefaults() {
        Map<String, Attribute> alpha = Map.of("alpha", new FloatAttr(0.5, ScalarType.F32));
        assertArrayEquals(new double[] {-1, 0, 3},
                evaluate("nn.leaky_relu", alpha, doubles("tensor<3xf32>", -2, 0, 3)).toDoubles());
        assertArrayEquals(new double[] {-0.01f * 2.0, 3},
                evaluate("nn.leaky_relu", doubles("tensor<2xf64>", -2, 3)).toDoubles(), 1e-12, "default alpha 0.01");
        // hard_sigmoid default alpha 0.2, beta 0.5: 0.2 * 1 + 0.5 = 0.7, clamped below at 0 and above at 1
        assertArrayEquals(new double[] {0, 0.7, 1},
                evaluate("nn.hard_sigmoid", doubles("tensor<3xf64>", -10, 1, 10)).toDoubles(), 1e-7);
        // shrink (bias 0, lambd 0.5): inside [-0.5, 0.5] gives 0
        assertArrayEquals(new double[] {-1, 0, 0, 2},
                evaluate("nn.shrink", doubles("tensor<4xf32>", -1, -0.5, 0.25, 2)).toDoubles());
    }

    @Test
    void erfAndRoundingMatchHandCheckedValues() {
        double[] erf = evaluate("nn.erf", doubles("tensor<4xf64>", 0.5, 1, -3.5, 3.001)).toDoubles();
        assertArrayEquals(new double[] {0.5204998778130465, 0.8427007929497149, -0.9999992569016276,
            0.9999780483390822}, erf, 1e-15);
        assertArrayEquals(new double[] {2, -2, 4, -0.0},
                evaluate("nn.round", doubles("tensor<4xf32>", 2.5, -2.5, 3.5, -0.4)).toDoubles(), "halves to even");
        double[] sign = evaluate("nn.sign", doubles("tensor<4xf32>", -3, -0.0, 7, Double.NaN)).toDoubles();
        assertEquals(-1, sign[0]);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(sign[1]), "sign(-0.0) is +0.0");
        assertEquals(1, sign[2]);
        assertTrue(Double.isNaN(sign[3]));
    }

    @Test
    void integersAreExactAndWrap() {
        assertArrayEquals(new long[] {-128, 5, 127}, evaluate("nn.abs", longs("tensor<3xi8>", -128, -5, 127)).toLongs(),
                "abs(-128) wraps in i8");
        assertArrayEquals(new long[] {200, 0}, evaluate("nn.abs", longs("tensor<2xu8>", 200, 0)).toLongs());
        assertArrayEquals(new long[] {1, 0, -1}, evaluate("nn.sign", longs("tensor<3xi32>", 9, 0, -4)).toLongs());
        // shrink on integers truncates the double result: -3 + 1.5 = -1.5 -> -1
        Map<String, Attribute> bias = Map.of("bias", new FloatAttr(1.5, ScalarType.F32));
        assertArrayEquals(new long[] {-1, 0, 1},
                evaluate("nn.shrink", bias, longs("tensor<3xi32>", -3, 0, 3)).toLongs());
        assertArrayEquals(new long[] {1, 0}, evaluate("nn.not", longs("tensor<2xi1>", 0, 1)).toLongs());
    }

    @Test
    void isInfDetectsTheSignsAsked() {
        var x = doubles("tensor<4xf32>", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, 1);
        assertArrayEquals(new long[] {1, 1, 0, 0}, evaluate("nn.is_inf", x).toLongs());
        assertArrayEquals(new long[] {0, 1, 0, 0},
                evaluate("nn.is_inf", Map.of("detect_negative", BoolAttr.of(false)), x).toLongs());
        assertArrayEquals(new long[] {0, 0, 1, 0}, evaluate("nn.is_nan", x).toLongs());
    }

    @Test
    void involutionsFoldToTheOperandAndIdempotentsToTheInnerOp() {
        NnTestIR ir = new NnTestIR(tensor("tensor<4xf32>"));
        Operation neg = ir.op("nn.neg", Map.of(), ir.arg(0));
        Operation negNeg = ir.op("nn.neg", Map.of(), neg.result());
        Operation floor = ir.op("nn.floor", Map.of(), ir.arg(0));
        Operation floorFloor = ir.op("nn.floor", Map.of(), floor.result());
        Operation expExp = ir.op("nn.exp", Map.of(), ir.op("nn.exp", Map.of(), ir.arg(0)).result());
        assertEquals(List.of(), ir.errors());
        assertEquals(List.of(FoldResult.existing(ir.arg(0))), fold(negNeg));
        assertEquals(List.of(FoldResult.existing(floor.result())), fold(floorFloor));
        assertNull(fold(neg));
        assertNull(fold(expExp));
    }
}
