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
import dev.lathe.ir.dialect.FoldResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariadicElementwiseOpTest {

    @Test
    void everyOperandBroadcasts() {
        assertEquals("tensor<2x?x3xf32>", infer("nn.max", "tensor<3xf32>", "tensor<2x1x1xf32>", "tensor<?x1xf32>"));
        assertEquals("tensor<4xf16>", infer("nn.mean", "tensor<4xf16>"));
    }

    @Test
    void sumAndMeanTakeOnlyFloats() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xi32>"), tensor("tensor<2xi32>"));
        ir.op("nn.sum", tensor("tensor<2xi32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "'nn.sum' op expects float elements, found i32");
    }

    @Test
    void floatsPropagateNanAndSumInDouble() {
        var a = doubles("tensor<3xf32>", 1, Double.NaN, -5);
        var b = doubles("tensor<1xf32>", 2);
        var c = doubles("tensor<2x1xf32>", 0, 10);
        double[] max = evaluate("nn.max", a, b, c).toDoubles();
        assertEquals(2, max[0]);
        assertTrue(Double.isNaN(max[1]));
        assertArrayEquals(new double[] {2, 10}, new double[] {max[2], max[5]});
        assertArrayEquals(new double[] {-5, 1, 1}, evaluate("nn.min", doubles("tensor<3xf32>", -5, 1, 3),
                doubles("tensor<f32>", 1)).toDoubles());
        assertArrayEquals(new double[] {2, 4}, evaluate("nn.mean", doubles("tensor<2xf64>", 1, 2),
                doubles("tensor<2xf64>", 2, 4), doubles("tensor<2xf64>", 3, 6)).toDoubles());
        assertArrayEquals(new double[] {6, 12}, evaluate("nn.sum", doubles("tensor<2xf64>", 1, 2),
                doubles("tensor<2xf64>", 2, 4), doubles("tensor<2xf64>", 3, 6)).toDoubles());
    }

    @Test
    void integersCompareBySignedness() {
        assertArrayEquals(new long[] {-1, 3}, evaluate("nn.max", longs("tensor<2xi8>", -1, -2),
                longs("tensor<2xi8>", -128, 3)).toLongs());
        assertArrayEquals(new long[] {-1L, 5}, evaluate("nn.max", longs("tensor<2xu64>", -1L, 5),
                longs("tensor<2xu64>", 7, 2)).toLongs(), "u64 max beats 7");
        assertArrayEquals(new long[] {7, 2}, evaluate("nn.min", longs("tensor<2xu64>", -1L, 5),
                longs("tensor<2xu64>", 7, 2)).toLongs());
    }

    @Test
    void oneOperandFoldsToItself() {
        NnTestIR ir = new NnTestIR(tensor("tensor<4xf32>"), tensor("tensor<1xf32>"));
        Operation one = ir.op("nn.sum", Map.of(), ir.arg(0));
        Operation two = ir.op("nn.max", Map.of(), ir.arg(0), ir.arg(1));
        assertEquals(List.of(), ir.errors());
        assertEquals(List.of(FoldResult.existing(ir.arg(0))), fold(one));
        assertNull(fold(two));
    }
}
