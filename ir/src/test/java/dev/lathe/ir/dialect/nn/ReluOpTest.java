package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.fold;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.FoldResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReluOpTest {

    @Test
    void keepsPositivesAndZeroesNegatives() {
        DenseElementsAttr r = evaluate("nn.relu", doubles("tensor<2x2xf32>", -1.5, 2.5, 0, -3));
        assertArrayEquals(new double[] {0, 2.5, 0, 0}, r.toDoubles());
        assertEquals(tensor("tensor<2x2xf32>"), r.type());
    }

    @Test
    void nanStaysNanAndNegativeZeroBecomesPositiveZero() {
        DenseElementsAttr r = evaluate("nn.relu", doubles("tensor<3xf16>", Double.NaN, -0.0, Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(r.getDouble(0)));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(r.getDouble(1)));
        assertEquals(0.0, r.getDouble(2));
    }

    @Test
    void worksOnSignedAndUnsignedIntegers() {
        assertArrayEquals(new long[] {0, 5, 0}, evaluate("nn.relu", longs("tensor<3xi8>", -128, 5, 0)).toLongs());
        assertArrayEquals(new long[] {200, 0}, evaluate("nn.relu", longs("tensor<2xu8>", 200, 0)).toLongs(),
                "u8 200 is positive");
    }

    @Test
    void inferredTypeIsTheOperandType() {
        assertEquals("tensor<?x4xbf16>", NnTestIR.infer("nn.relu", "tensor<?x4xbf16>"));
    }

    @Test
    void rejectsBooleans() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xi1>"));
        ir.op("nn.relu", tensor("tensor<2xi1>"), Map.of(), ir.arg(0));
        assertOneError(ir.errors(), "'nn.relu' op expects float or integer elements, found i1");
    }

    @Test
    void reluOfReluFoldsToTheInnerRelu() {
        NnTestIR ir = new NnTestIR(tensor("tensor<4xf32>"));
        Operation inner = ir.op("nn.relu", Map.of(), ir.arg(0));
        Operation outer = ir.op("nn.relu", Map.of(), inner.result());
        assertEquals(List.of(), ir.errors());
        assertEquals(List.of(FoldResult.existing(inner.result())), fold(outer));
        assertNull(fold(inner), "relu of an argument does not fold");
    }
}
