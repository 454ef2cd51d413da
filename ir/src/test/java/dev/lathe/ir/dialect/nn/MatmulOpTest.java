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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatmulOpTest {

    @ParameterizedTest(name = "{0} x {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "tensor<2x3xf32>     | tensor<3x4xf32>   | tensor<2x4xf32>",
        "tensor<3xf32>       | tensor<3x4xf32>   | tensor<4xf32>",
        "tensor<2x3xf32>     | tensor<3xf32>     | tensor<2xf32>",
        "tensor<3xf32>       | tensor<3xf32>     | tensor<f32>",
        "tensor<2x1x4x3xf32> | tensor<5x3x6xf32> | tensor<2x5x4x6xf32>",
        "tensor<3xf32>       | tensor<7x3x2xf32> | tensor<7x2xf32>",
        "tensor<7x2x3xf32>   | tensor<3xf32>     | tensor<7x2xf32>",
        "tensor<?x4x3xf32>   | tensor<5x3x6xf32> | tensor<5x4x6xf32>",
        "tensor<?x?xf32>     | tensor<3x?xf32>   | tensor<?x?xf32>",
    })
    void infersOnnxMatmulShapes(String a, String b, String expected) {
        assertEquals(expected, infer("nn.matmul", a, b));
    }

    @Test
    void multipliesMatrices() {
        DenseElementsAttr r = evaluate("nn.matmul", doubles("tensor<2x3xf32>", 1, 2, 3, 4, 5, 6),
                doubles("tensor<3x2xf32>", 7, 8, 9, 10, 11, 12));
        assertEquals(tensor("tensor<2x2xf32>"), r.type());
        assertArrayEquals(new double[] {58, 64, 139, 154}, r.toDoubles());
    }

    @Test
    void promotesOneDimensionalOperands() {
        DenseElementsAttr b = doubles("tensor<3x2xf64>", 1, 2, 3, 4, 5, 6);
        DenseElementsAttr rowTimesMatrix = evaluate("nn.matmul", doubles("tensor<3xf64>", 1, 2, 3), b);
        assertEquals(tensor("tensor<2xf64>"), rowTimesMatrix.type());
        assertArrayEquals(new double[] {22, 28}, rowTimesMatrix.toDoubles());

        DenseElementsAttr matrixTimesColumn = evaluate("nn.matmul", doubles("tensor<2x3xf64>", 1, 2, 3, 4, 5, 6),
                doubles("tensor<3xf64>", 1, 2, 3));
        assertArrayEquals(new double[] {14, 32}, matrixTimesColumn.toDoubles());

        DenseElementsAttr dot = evaluate("nn.matmul", doubles("tensor<3xf64>", 1, 2, 3), doubles("tensor<3xf64>", 4, 5, 6));
        assertEquals(tensor("tensor<f64>"), dot.type());
        assertEquals(32, dot.getDouble(0));
    }

    @Test
    void broadcastsBatchDimensions() {
        // a[i] = [[1,2,3],[4,5,6]] + 10*i for batch shape [2,1]; b[j] = (j+1) * [[1,0],[0,1],[1,1]] for batch [3].
        double[] a = new double[12];
        for (int i = 0; i < 12; i++) {
            a[i] = (i % 6) + 1 + 10 * (i / 6);
        }
        double[] b = new double[18];
        double[] pattern = {1, 0, 0, 1, 1, 1};
        for (int i = 0; i < 18; i++) {
            b[i] = pattern[i % 6] * (i / 6 + 1);
        }
        DenseElementsAttr r = evaluate("nn.matmul", doubles("tensor<2x1x2x3xf32>", a), doubles("tensor<3x3x2xf32>", b));
        assertEquals(tensor("tensor<2x3x2x2xf32>"), r.type());
        // a[i] x pattern = [[r0+r2, r1+r2] per row]: [[1+3, 2+3], [4+6, 5+6]] = [[4, 5], [10, 11]] for i = 0,
        // [[11+13, 12+13], [14+16, 15+16]] = [[24, 25], [30, 31]] for i = 1; then scaled by (j+1).
        double[] expected = {
            4, 5, 10, 11, 8, 10, 20, 22, 12, 15, 30, 33,
            24, 25, 30, 31, 48, 50, 60, 62, 72, 75, 90, 93,
        };
        assertArrayEquals(expected, r.toDoubles());
    }

    @Test
    void integerProductsWrapAround() {
        DenseElementsAttr r = evaluate("nn.matmul", longs("tensor<1x2xi8>", 100, 100), longs("tensor<2x1xi8>", 1, 1));
        assertArrayEquals(new long[] {-56}, r.toLongs());
    }

    @Test
    void floatProductsAccumulateInDoubleAndRoundOnce() {
        // In f32 arithmetic 2^24 + 1 + 1 would stay 2^24; a double accumulator reaches 2^24 + 2.
        DenseElementsAttr r = evaluate("nn.matmul", doubles("tensor<3xf32>", 16777216, 1, 1),
                doubles("tensor<3xf32>", 1, 1, 1));
        assertEquals(16777218, r.getDouble(0));
    }

    @Test
    void signedZerosFollowTheSumOfTheProducts() {
        // -0.0 starts the sum, being its exact identity: a sum of -0.0 products stays -0.0, an empty sum is +0.0.
        DenseElementsAttr negative = evaluate("nn.matmul", doubles("tensor<1x2xf32>", -0.0, 0.0),
                doubles("tensor<2x1xf32>", 1, -1));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(negative.getDouble(0)));
        DenseElementsAttr empty = evaluate("nn.matmul", doubles("tensor<2x0xf32>"), doubles("tensor<0x2xf32>"));
        assertEquals(tensor("tensor<2x2xf32>"), empty.type());
        assertArrayEquals(new double[] {0, 0, 0, 0}, empty.toDoubles());
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(empty.getDouble(3)));
    }

    @Test
    void mismatchedInnerDimensionsAreReported() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"), tensor("tensor<4x5xf32>"));
        ir.op("nn.matmul", tensor("tensor<2x5xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "inner dimensions to agree, found tensor<2x3xf32> with 3 columns and "
                + "tensor<4x5xf32> with 4 rows");
    }

    @Test
    void batchDimensionsThatDoNotBroadcastAreReported() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x2x3xf32>"), tensor("tensor<3x3x5xf32>"));
        ir.op("nn.matmul", tensor("tensor<2x2x5xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "batch dimensions that broadcast");
    }

    @Test
    void rankZeroAndMixedElementTypesAreRejected() {
        NnTestIR ir = new NnTestIR(tensor("tensor<f32>"), tensor("tensor<3xf32>"), tensor("tensor<3xf16>"));
        ir.op("nn.matmul", tensor("tensor<3xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        ir.op("nn.matmul", tensor("tensor<f32>"), Map.of(), ir.arg(1), ir.arg(2));
        var errors = ir.errors();
        assertEquals(2, errors.size(), errors::toString);
        assertEquals(true, errors.get(0).contains("rank 1 or more"), errors.get(0));
        assertEquals(true, errors.get(1).contains("found f32 and f16"), errors.get(1));
    }
}
