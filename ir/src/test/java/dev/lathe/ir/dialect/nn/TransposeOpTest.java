package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.array;
import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.fold;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.FoldResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransposeOpTest {

    private static Map<String, Attribute> perm(long... p) {
        return Map.of("perm", array(p));
    }

    @Test
    void infersPermutedShapeAndReversesByDefault() {
        assertEquals("tensor<4x2x?xf32>", infer("nn.transpose", perm(2, 0, 1), "tensor<2x?x4xf32>"));
        assertEquals("tensor<4x?x2xf32>", infer("nn.transpose", Map.of(), "tensor<2x?x4xf32>"));
        assertEquals("tensor<i8>", infer("nn.transpose", Map.of(), "tensor<i8>"));
    }

    @Test
    void transposesThreeDimensionalTensor() {
        long[] values = new long[24];
        for (int i = 0; i < 24; i++) {
            values[i] = i;
        }
        DenseElementsAttr r = evaluate("nn.transpose", perm(2, 0, 1), longs("tensor<2x3x4xi32>", values));
        assertEquals(tensor("tensor<4x2x3xi32>"), r.type());
        // out[i][j][k] = in[j][k][i] = 12j + 4k + i
        assertArrayEquals(new long[] {
            0, 4, 8, 12, 16, 20,
            1, 5, 9, 13, 17, 21,
            2, 6, 10, 14, 18, 22,
            3, 7, 11, 15, 19, 23,
        }, r.toLongs());
    }

    @Test
    void defaultPermTransposesAMatrixOfBooleans() {
        DenseElementsAttr r = evaluate("nn.transpose", longs("tensor<2x3xi1>", 1, 0, 0, 0, 1, 1));
        assertEquals(tensor("tensor<3x2xi1>"), r.type());
        assertArrayEquals(new long[] {1, 0, 0, 1, 0, 1}, r.toLongs());
    }

    @Test
    void repeatedAxisIsNotAPermutation() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"));
        ir.op("nn.transpose", tensor("tensor<2x2xf32>"), perm(0, 0), ir.arg(0));
        assertOneError(ir.errors(), "'nn.transpose' op perm [0, 0] is not a permutation of 0..1");
    }

    @Test
    void permOfWrongLengthOrOutOfRangeIsRejected() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"));
        ir.op("nn.transpose", tensor("tensor<3x2xf32>"), perm(1, 0, 2), ir.arg(0));
        ir.op("nn.transpose", tensor("tensor<3x2xf32>"), perm(2, 0), ir.arg(0));
        ir.op("nn.transpose", tensor("tensor<3x2xf32>"), Map.of("perm", new ArrayAttr(List.of(new StringAttr("x")))),
                ir.arg(0));
        List<String> errors = ir.errors();
        assertEquals(3, errors.size(), errors::toString);
        assertEquals(true, errors.get(0).contains("perm [1, 0, 2] has 3 entries but the operand has rank 2"));
        assertEquals(true, errors.get(1).contains("perm [2, 0] is not a permutation of 0..1"));
        assertEquals(true, errors.get(2).contains("attribute 'perm' must be an array of integers, found [\"x\"]"));
    }

    @Test
    void identityPermFoldsToOperandOthersDoNot() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"));
        Operation identity = ir.op("nn.transpose", perm(0, 1), ir.arg(0));
        Operation swap = ir.op("nn.transpose", perm(1, 0), ir.arg(0));
        assertEquals(List.of(), ir.errors());
        assertEquals(List.of(FoldResult.existing(ir.arg(0))), fold(identity));
        assertNull(fold(swap));
    }
}
