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
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The nn.reduce_* family (besides reduce_sum) and nn.arg_max / nn.arg_min. */
class ReduceOpTest {

    private static final Map<String, Attribute> ROWS = Map.of("axes", array(1), "keepdims", BoolAttr.FALSE);

    /** [[1, -2, 3], [4, 5, -6]] */
    private static DenseElementsAttr twoByThree(String elementType) {
        return doubles("tensor<2x3x" + elementType + ">", 1, -2, 3, 4, 5, -6);
    }

    @Test
    void infersStaticAndDynamicFormShapes() {
        assertEquals("tensor<2xf32>", infer("nn.reduce_max", ROWS, "tensor<2x?xf32>"));
        assertEquals("tensor<1x1xf32>", infer("nn.reduce_l2", Map.of(), "tensor<2x3xf32>"));
        assertEquals("tensor<?x1x?xf32>", infer("nn.reduce_mean", Map.of(), "tensor<2x1x3xf32>", "tensor<1xi64>"),
                "axes known at run time: every dim but size-1 ones is unknown");
        assertEquals("tensor<?x?xf32>", infer("nn.reduce_prod", Map.of("keepdims", BoolAttr.FALSE),
                "tensor<2x1x3xf32>", "tensor<1xi64>"));
        assertEquals("tensor<2xi64>", infer("nn.arg_min", Map.of("axis", IntegerAttr.of(-1), "keepdims", BoolAttr.FALSE),
                "tensor<2x?xf32>"));
        assertThrows(InvalidOpException.class, () -> infer("nn.reduce_min", Map.of("keepdims", BoolAttr.FALSE),
                "tensor<2x3xf32>", "tensor<?xi64>"));
    }

    @Test
    void duplicateAxesAndBooleanSumsAreRejected() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"), tensor("tensor<2xi1>"));
        ir.op("nn.reduce_max", tensor("tensor<1x1xf32>"), Map.of("axes", array(1, -1)), ir.arg(0));
        assertOneError(ir.errors(), "'nn.reduce_max' op axes [1, -1] names dimension 1 twice");
        NnTestIR bools = new NnTestIR(tensor("tensor<2xi1>"));
        bools.op("nn.reduce_l1", tensor("tensor<1xi1>"), Map.of(), bools.arg(0));
        assertOneError(bools.errors(), "expects float or integer elements, found i1");
    }

    @Test
    void floatReductionsOverRows() {
        assertArrayEquals(new double[] {2.0 / 3, 1}, evaluate("nn.reduce_mean", ROWS, twoByThree("f32")).toDoubles(), 1e-7);
        assertArrayEquals(new double[] {3, 5}, evaluate("nn.reduce_max", ROWS, twoByThree("f32")).toDoubles());
        assertArrayEquals(new double[] {-2, -6}, evaluate("nn.reduce_min", ROWS, twoByThree("f64")).toDoubles());
        assertArrayEquals(new double[] {-6, -120}, evaluate("nn.reduce_prod", ROWS, twoByThree("f32")).toDoubles());
        assertArrayEquals(new double[] {6, 15}, evaluate("nn.reduce_l1", ROWS, twoByThree("f32")).toDoubles());
        assertArrayEquals(new double[] {14, 77}, evaluate("nn.reduce_sum_square", ROWS, twoByThree("f32")).toDoubles());
        assertArrayEquals(new double[] {Math.sqrt(14), Math.sqrt(77)},
                evaluate("nn.reduce_l2", ROWS, twoByThree("f64")).toDoubles(), 1e-15);
        assertArrayEquals(new double[] {Math.log(2), Math.log(3)},
                evaluate("nn.reduce_log_sum", ROWS, twoByThree("f64")).toDoubles(), 1e-15);
    }

    @Test
    void logSumExpDoesNotOverflowAndMaxPropagatesNaN() {
        DenseElementsAttr big = doubles("tensor<2xf32>", 1000, 1000);
        assertEquals(1000 + Math.log(2), evaluate("nn.reduce_log_sum_exp", big).getDouble(0), 1e-3);
        assertEquals(Double.NaN, evaluate("nn.reduce_max", doubles("tensor<3xf32>", 1, Double.NaN, 2)).getDouble(0));
    }

    @Test
    void emptyReductionsGiveTheIdentity() {
        DenseElementsAttr empty = doubles("tensor<0xf32>");
        assertEquals(Double.NEGATIVE_INFINITY, evaluate("nn.reduce_max", empty).getDouble(0));
        assertEquals(Double.POSITIVE_INFINITY, evaluate("nn.reduce_min", empty).getDouble(0));
        assertEquals(1, evaluate("nn.reduce_prod", empty).getDouble(0));
        assertEquals(Double.NEGATIVE_INFINITY, evaluate("nn.reduce_log_sum_exp", empty).getDouble(0));
        assertEquals(-128, evaluate("nn.reduce_max", longs("tensor<0xi8>")).getLong(0));
        assertEquals(255, evaluate("nn.reduce_min", longs("tensor<0xu8>")).getLong(0));
    }

    @Test
    void integerReductionsWrapOrTruncate() {
        assertArrayEquals(new long[] {119}, evaluate("nn.reduce_prod", longs("tensor<3xi8>", 3, 5, 25)).toLongs(),
                "3 * 5 * 25 = 375 wraps to 375 - 256");
        assertArrayEquals(new long[] {-56}, evaluate("nn.reduce_sum_square", longs("tensor<2xi8>", 10, 10)).toLongs(),
                "200 wraps to -56");
        assertArrayEquals(new long[] {5}, evaluate("nn.reduce_l2", longs("tensor<2xi32>", 3, 4)).toLongs());
        assertArrayEquals(new long[] {1}, evaluate("nn.reduce_log_sum", longs("tensor<2xi64>", 3, 4)).toLongs(),
                "log 7 = 1.95 truncates to 1");
    }

    @Test
    void integerMeanIsExactAndTruncatesTowardZero() {
        assertArrayEquals(new long[] {-1}, evaluate("nn.reduce_mean", longs("tensor<2xi32>", -1, -2)).toLongs());
        assertArrayEquals(new long[] {200}, evaluate("nn.reduce_mean", longs("tensor<2xu8>", 200, 201)).toLongs(),
                "u8 values are read as 0..255 and the sum does not wrap");
        assertArrayEquals(new long[] {250}, evaluate("nn.reduce_max", longs("tensor<2xu8>", 7, 250)).toLongs());
    }

    @Test
    void dynamicAxesAreReadAtRunTime() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"), tensor("tensor<1xi64>"));
        Operation op = ir.op("nn.reduce_min", Map.of(), ir.arg(0), ir.arg(1));
        assertEquals(List.of(), ir.errors());
        DenseElementsAttr r = op.definition().evaluate(op, List.of(twoByThree("f32"), longs("tensor<1xi64>", 0))).get(0);
        assertEquals(tensor("tensor<1x3xf32>"), r.type());
        assertArrayEquals(new double[] {1, -2, -6}, r.toDoubles());
    }

    @Test
    void reducingNoAxesIsAReductionOfOneElementGroups() {
        Map<String, Attribute> none = Map.of("axes", array());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6},
                evaluate("nn.reduce_l1", none, twoByThree("f32")).toDoubles());
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"));
        Operation max = ir.op("nn.reduce_max", none, ir.arg(0));
        Operation l1 = ir.op("nn.reduce_l1", none, ir.arg(0));
        assertEquals(List.of(), ir.errors());
        assertEquals(List.of(FoldResult.existing(ir.arg(0))), fold(max));
        assertNull(fold(l1), "|x| is not x");
    }

    @Test
    void argMaxAndArgMinBreakTiesByIndex() {
        DenseElementsAttr x = doubles("tensor<2x3xf32>", 1, 7, 7, -0.0, 0.0, -1);
        Map<String, Attribute> rows = Map.of("axis", IntegerAttr.of(1), "keepdims", BoolAttr.FALSE);
        assertArrayEquals(new long[] {1, 0}, evaluate("nn.arg_max", rows, x).toLongs());
        Map<String, Attribute> last = Map.of("axis", IntegerAttr.of(1), "keepdims", BoolAttr.FALSE,
                "select_last_index", BoolAttr.TRUE);
        assertArrayEquals(new long[] {2, 1}, evaluate("nn.arg_max", last, x).toLongs(), "-0.0 and +0.0 tie");
        DenseElementsAttr r = evaluate("nn.arg_min", Map.of(), longs("tensor<2x2xi16>", 5, -3, 2, 9));
        assertEquals(tensor("tensor<1x2xi64>"), r.type());
        assertArrayEquals(new long[] {1, 0}, r.toLongs());
    }
}
