package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code nn.unique} and {@code nn.non_max_suppression} natively against the interpreter (bounded
 * results, cut by the JIT to their extent). Every result is an index, a count or a copied input
 * element, so all compare exactly (tolerance 0): any difference is a wrong selection or order.
 */
class UniqueAndNmsLoweringTest {

    @Test
    void uniqueSortedElementsWithNanAndSignedZeros() {
        String lir = """
                func.func @f(%x: tensor<3x4xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<12xi64>, tensor<?xi64>) {
                  %0:4 = "nn.unique"(%x) : (tensor<3x4xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<12xi64>, tensor<?xi64>)
                  func.return %0#0, %0#1, %0#2, %0#3 : tensor<?xf32>, tensor<?xi64>, tensor<12xi64>, tensor<?xi64>
                }
                """;
        double nan = Double.NaN;
        double[] v = {2, -0.0, nan, 1.5, 0.0, 2, -3, nan, 1.5, -0.0, 7, -3};
        NativeCheck.check(lir, List.of(DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 3, 4), v)), 0, 0);
    }

    @Test
    void uniqueUnsortedSlicesAlongAnInnerAxis() {
        // items are the 6 slices x[:, j, :]; slices 0/3 and 1/4 are equal
        String lir = """
                func.func @f(%x: tensor<2x6x3xi32>) -> (tensor<2x?x3xi32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>) {
                  %0:4 = "nn.unique"(%x) {axis = -2, sorted = false} : (tensor<2x6x3xi32>) -> (tensor<2x?x3xi32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
                  func.return %0#0, %0#1, %0#2, %0#3 : tensor<2x?x3xi32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>
                }
                """;
        long[] v = new long[36];
        long[][] slices = {{5, 1, 2, 0, 0, 1}, {-4, 3, 3, 9, 9, 9}, {5, 1, 2, 0, 0, 0}, {5, 1, 2, 0, 0, 1},
            {-4, 3, 3, 9, 9, 9}, {-4, 3, 2, 9, 9, 9}};
        for (int j = 0; j < 6; j++) {
            for (int e = 0; e < 6; e++) {
                v[(e / 3) * 18 + j * 3 + e % 3] = slices[j][e];
            }
        }
        NativeCheck.check(lir, List.of(DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I32, 2, 6, 3), v)), 0, 0);
    }

    @Test
    void uniqueSortedUnsignedRows() {
        // u8 compares unsigned: 200 sorts above 100
        String lir = """
                func.func @f(%x: tensor<5x2xu8>) -> (tensor<?x2xu8>, tensor<?xi64>, tensor<5xi64>, tensor<?xi64>) {
                  %0:4 = "nn.unique"(%x) {axis = 0} : (tensor<5x2xu8>) -> (tensor<?x2xu8>, tensor<?xi64>, tensor<5xi64>, tensor<?xi64>)
                  func.return %0#0, %0#1, %0#2, %0#3 : tensor<?x2xu8>, tensor<?xi64>, tensor<5xi64>, tensor<?xi64>
                }
                """;
        long[] v = {200, 1, 100, 7, 200, 1, 100, 6, 0, 255};
        NativeCheck.check(lir, List.of(DenseElementsAttr.fromLongs(TensorType.of(ScalarType.U8, 5, 2), v)), 0, 0);
    }
}
