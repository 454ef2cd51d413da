package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.array;
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

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.FoldResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReduceSumOpTest {

    private static final Map<String, Attribute> MIDDLE = Map.of("axes", array(1));
    private static final Map<String, Attribute> MIDDLE_DROPPED = Map.of("axes", array(-2), "keepdims", BoolAttr.FALSE);

    /** in[a][b][c] = 1 + 6a + 2b + c, so the sum over b is 9 + 18a + 3c. */
    private static DenseElementsAttr oneToTwelve() {
        return doubles("tensor<2x3x2xf32>", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void infersShapesForAxesKeepdimsAndNegativeAxes() {
        assertEquals("tensor<2x1x?xf32>", infer("nn.reduce_sum", MIDDLE, "tensor<2x3x?xf32>"));
        assertEquals("tensor<2x?xf32>", infer("nn.reduce_sum", MIDDLE_DROPPED, "tensor<2x3x?xf32>"));
        assertEquals("tensor<1x1x1xf32>", infer("nn.reduce_sum", Map.of(), "tensor<2x3x?xf32>"));
        assertEquals("tensor<f32>", infer("nn.reduce_sum", Map.of("keepdims", BoolAttr.FALSE), "tensor<2x3xf32>"));
        assertEquals("tensor<2x?xf32>", infer("nn.reduce_sum", Map.of("axes", array()), "tensor<2x?xf32>"),
                "an explicit empty list reduces nothing");
    }

    @Test
    void sumsOverTheMiddleAxisKeepingIt() {
        DenseElementsAttr r = evaluate("nn.reduce_sum", MIDDLE, oneToTwelve());
        assertEquals(tensor("tensor<2x1x2xf32>"), r.type());
        assertArrayEquals(new double[] {9, 12, 27, 30}, r.toDoubles());
    }

    @Test
    void sumsOverTheMiddleAxisDroppingIt() {
        DenseElementsAttr r = evaluate("nn.reduce_sum", MIDDLE_DROPPED, oneToTwelve());
        assertEquals(tensor("tensor<2x2xf32>"), r.type());
        assertArrayEquals(new double[] {9, 12, 27, 30}, r.toDoubles());
    }

    @Test
    void sumsEverythingWhenAxesAreAbsent() {
        assertArrayEquals(new double[] {78}, evaluate("nn.reduce_sum", oneToTwelve()).toDoubles());
    }

    @Test
    void integerSumsWrapAround() {
        DenseElementsAttr r = evaluate("nn.reduce_sum", Map.of("keepdims", BoolAttr.FALSE),
                longs("tensor<3xi8>", 100, 100, 100));
        assertArrayEquals(new long[] {44}, r.toLongs());
    }

    @Test
    void floatSumsAccumulateInDoubleAndKeepNegativeZero() {
        DenseElementsAttr big = evaluate("nn.reduce_sum", doubles("tensor<3xf32>", 16777216, 1, 1));
        assertEquals(16777218, big.getDouble(0));
        DenseElementsAttr zero = evaluate("nn.reduce_sum", doubles("tensor<1xf32>", -0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(zero.getDouble(0)));
        DenseElementsAttr empty = evaluate("nn.reduce_sum", doubles("tensor<0xf32>"));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(empty.getDouble(0)));
    }

    @Test
    void outOfRangeAndDuplicateAxesAreRejected() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3x4xf32>"));
        ir.op("nn.reduce_sum", tensor("tensor<2x3x4xf32>"), Map.of("axes", array(3)), ir.arg(0));
        ir.op("nn.reduce_sum", tensor("tensor<2x1x4xf32>"), Map.of("axes", array(1, -2)), ir.arg(0));
        List<String> errors = ir.errors();
        assertEquals(2, errors.size(), errors::toString);
        assertEquals(true, errors.get(0).contains("axes [3] has axis 3, out of range for rank 3 (expected -3..2)"));
        assertEquals(true, errors.get(1).contains("axes [1, -2] names dimension 1 twice"));
    }

    @Test
    void wrongKeepdimsKindIsReportedByTheSchema() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xf32>"));
        ir.op("nn.reduce_sum", tensor("tensor<1xf32>"), Map.of("keepdims", array(1)), ir.arg(0));
        assertOneError(ir.errors(), "attribute 'keepdims' must be a bool attribute");
    }

    @Test
    void reducingOnlySizeOneDimensionsFoldsToTheOperand() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x1xf32>"));
        Operation trivial = ir.op("nn.reduce_sum", Map.of("axes", array(1)), ir.arg(0));
        Operation real = ir.op("nn.reduce_sum", Map.of("axes", array(0)), ir.arg(0));
        assertEquals(List.of(), ir.errors());
        assertEquals(List.of(FoldResult.existing(ir.arg(0))), fold(trivial));
        assertNull(fold(real));
    }
}
