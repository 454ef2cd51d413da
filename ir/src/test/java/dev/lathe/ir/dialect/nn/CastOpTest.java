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

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CastOpTest {

    private static Map<String, Attribute> to(ScalarType t) {
        return Map.of("to", new TypeAttr(t));
    }

    @Test
    void resultHasTheTargetElementTypeAndTheOperandShape() {
        assertEquals("tensor<?x2xi8>", infer("nn.cast", to(ScalarType.I8), "tensor<?x2xf32>"));
    }

    @Test
    void floatToIntegerTruncatesAndSaturates() {
        var x = doubles("tensor<5xf32>", -2.7, 2.7, 1e10, Double.NaN, -300);
        assertArrayEquals(new long[] {-2, 2, 127, 0, -128}, evaluate("nn.cast", to(ScalarType.I8), x).toLongs());
        assertArrayEquals(new long[] {0, 2, 255, 0, 0}, evaluate("nn.cast", to(ScalarType.U8), x).toLongs());
        assertArrayEquals(new long[] {-1L, 1L << 63}, evaluate("nn.cast", to(ScalarType.U64),
                doubles("tensor<2xf64>", 1e30, 0x1p63)).toLongs());
        assertArrayEquals(new long[] {1, 1, 0}, evaluate("nn.cast", to(ScalarType.I1),
                doubles("tensor<3xf32>", Double.NaN, -0.5, -0.0)).toLongs());
    }

    @Test
    void integersWrapAndUnsignedReadAsUnsigned() {
        assertArrayEquals(new long[] {44, 255}, evaluate("nn.cast", to(ScalarType.U8), longs("tensor<2xi32>", 300, -1))
                .toLongs());
        assertArrayEquals(new double[] {0x1p64, 255}, evaluate("nn.cast", to(ScalarType.F64),
                longs("tensor<2xu64>", -1L, 255)).toDoubles());
        assertArrayEquals(new double[] {0.333251953125}, evaluate("nn.cast", to(ScalarType.F16),
                doubles("tensor<1xf64>", 1.0 / 3)).toDoubles(), "rounded to nearest f16");
    }

    @Test
    void rejectsANonElementTarget() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xf32>"));
        ir.op("nn.cast", tensor("tensor<2xf32>"), Map.of("to", new TypeAttr(tensor("tensor<2xf32>"))), ir.arg(0));
        assertOneError(ir.errors(), "'nn.cast' op expects 'to' to be a tensor element type, found tensor<2xf32>");
    }

    @Test
    void castToItsOwnTypeFolds() {
        NnTestIR ir = new NnTestIR(tensor("tensor<4xf32>"));
        Operation same = ir.op("nn.cast", to(ScalarType.F32), ir.arg(0));
        Operation other = ir.op("nn.cast", to(ScalarType.F16), ir.arg(0));
        assertEquals(List.of(), ir.errors());
        assertEquals(List.of(FoldResult.existing(ir.arg(0))), fold(same));
        assertNull(fold(other));
    }
}
