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

    /** 2 batches, 6 boxes, 3 classes: overlapping, flipped, zero-area and identical boxes. */
    private static DenseElementsAttr boxes() {
        double[] one = {
            0, 0, 1, 1, // 0
            0, 0.1, 1, 1.1, // 1: IoU 0.82 with 0
            1, 1, 0, 0, // 2: box 0 flipped
            0, 10, 1, 11, // 3: apart
            5, 5, 5, 6, // 4: zero area
            0, 10.5, 1, 11.5}; // 5: IoU 1/3 with 3
        double[] v = new double[48];
        for (int i = 0; i < 24; i++) {
            v[i] = one[i];
            v[24 + i] = one[i] * 0.5 + (i % 4 == 1 ? 0.2 : 0);
        }
        return DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 2, 6, 4), v);
    }

    /** Scores with ties (resolved by box index), -0.0 against 0.0 (ordered as Double.compare) and a NaN. */
    private static DenseElementsAttr scores() {
        double nan = Double.NaN;
        double[] v = {
            0.9, 0.8, 0.9, 0.5, 0.95, 0.3, // class 0
            0.0, -0.0, 0.0, 0.7, nan, 0.7, // class 1
            0.1, 0.2, 0.3, 0.4, 0.5, 0.6, // class 2
            0.6, 0.6, 0.6, 0.6, 0.6, 0.6,
            nan, 0.4, -0.0, 0.0, 0.4, 0.9,
            0.3, 0.2, 0.1, 0.0, -1, -2};
        return DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 2, 3, 6), v);
    }

    @Test
    void nmsStaticFormWithoutScoreThreshold() {
        // no score threshold: every box is a candidate, NaN scores first
        String lir = """
                func.func @f(%b: tensor<2x6x4xf32>, %s: tensor<2x3x6xf32>) -> tensor<?x3xi64> {
                  %0 = "nn.non_max_suppression"(%b, %s) {max_output_boxes_per_class = 4, iou_threshold = 5.0e-01 : f32} : (tensor<2x6x4xf32>, tensor<2x3x6xf32>) -> tensor<?x3xi64>
                  func.return %0 : tensor<?x3xi64>
                }
                """;
        NativeCheck.check(lir, List.of(boxes(), scores()), 0, 0);
    }

    @Test
    void nmsCenterPointBoxesWithScoreThreshold() {
        String lir = """
                func.func @f(%b: tensor<2x6x4xf32>, %s: tensor<2x3x6xf32>) -> tensor<?x3xi64> {
                  %0 = "nn.non_max_suppression"(%b, %s) {center_point_box = true, max_output_boxes_per_class = 10, iou_threshold = 2.0e-01 : f32, score_threshold = 0.0 : f32} : (tensor<2x6x4xf32>, tensor<2x3x6xf32>) -> tensor<?x3xi64>
                  func.return %0 : tensor<?x3xi64>
                }
                """;
        NativeCheck.check(lir, List.of(boxes(), scores()), 0, 0);
    }

    @Test
    void nmsDynamicFormWithRunTimeThresholds() {
        // max_output_boxes_per_class is frozen by the specialization; the thresholds stay inputs
        String lir = """
                func.func @f(%b: tensor<2x6x4xf32>, %s: tensor<2x3x6xf32>, %m: tensor<1xi64>, %iou: tensor<1xf32>, %st: tensor<1xf32>) -> tensor<?x3xi64> {
                  %0 = "nn.non_max_suppression"(%b, %s, %m, %iou, %st) : (tensor<2x6x4xf32>, tensor<2x3x6xf32>, tensor<1xi64>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3xi64>
                  func.return %0 : tensor<?x3xi64>
                }
                """;
        NativeCheck.check(lir, List.of(boxes(), scores(), DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, 1), new long[] {2}),
                DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 1), new double[] {0.3}),
                DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 1), new double[] {0.35})), 0, 0);
    }

    @Test
    void nmsSelectingNothing() {
        // max_output_boxes_per_class = 0: a bound of zero rows
        String lir = """
                func.func @f(%b: tensor<2x6x4xf32>, %s: tensor<2x3x6xf32>) -> tensor<?x3xi64> {
                  %0 = "nn.non_max_suppression"(%b, %s) : (tensor<2x6x4xf32>, tensor<2x3x6xf32>) -> tensor<?x3xi64>
                  func.return %0 : tensor<?x3xi64>
                }
                """;
        NativeCheck.check(lir, List.of(boxes(), scores()), 0, 0);
    }
}
