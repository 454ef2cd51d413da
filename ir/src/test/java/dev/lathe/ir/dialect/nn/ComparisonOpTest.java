package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonOpTest {

    @Test
    void resultIsI1OfTheBroadcastShape() {
        assertEquals("tensor<?x3xi1>", infer("nn.less", "tensor<?x1xf32>", "tensor<3xf32>"));
        assertEquals("tensor<2xi1>", infer("nn.xor", "tensor<2xi1>", "tensor<i1>"));
    }

    @Test
    void rejectsMixedElementTypesAndLogicOnNumbers() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xf32>"), tensor("tensor<2xf32>"));
        ir.op("nn.and", tensor("tensor<2xi1>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "'nn.and' op expects i1 elements, found f32 in tensor<2xf32>");
        NnTestIR mixed = new NnTestIR(tensor("tensor<2xf32>"), tensor("tensor<2xi32>"));
        mixed.op("nn.equal", tensor("tensor<2xi1>"), Map.of(), mixed.arg(0), mixed.arg(1));
        assertOneError(mixed.errors(), "expects operands of one element type, found f32 and i32");
    }

    @Test
    void floatsCompareAsIeeeWithBroadcasting() {
        DenseElementsAttr a = doubles("tensor<2x2xf32>", 1, Double.NaN, -0.0, 5);
        DenseElementsAttr b = doubles("tensor<2xf32>", 0.0, 5);
        assertArrayEquals(new long[] {1, 0, 1, 1}, evaluate("nn.greater_or_equal", a, b).toLongs());
        assertArrayEquals(new long[] {0, 0, 1, 1}, evaluate("nn.equal", a, b).toLongs(), "-0.0 == 0.0, NaN != NaN");
        assertArrayEquals(new long[] {0, 0, 0, 0}, evaluate("nn.less", a, b).toLongs());
    }

    @Test
    void unsignedIntegersCompareAsUnsigned() {
        assertArrayEquals(new long[] {1, 0}, evaluate("nn.greater", longs("tensor<2xu8>", 200, 1),
                longs("tensor<2xu8>", 100, 2)).toLongs());
        assertArrayEquals(new long[] {1}, evaluate("nn.greater", longs("tensor<1xu64>", -1L),
                longs("tensor<1xu64>", 1)).toLongs(), "u64 max > 1");
        assertArrayEquals(new long[] {0, 1}, evaluate("nn.less_or_equal", longs("tensor<2xi8>", -1, -128),
                longs("tensor<i8>", -2)).toLongs());
        assertArrayEquals(new long[] {0, 1, 1, 0}, evaluate("nn.xor", longs("tensor<4xi1>", 0, 1, 0, 1),
                longs("tensor<4xi1>", 0, 0, 1, 1)).toLongs());
    }
}
