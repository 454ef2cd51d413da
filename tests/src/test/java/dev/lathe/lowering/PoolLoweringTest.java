package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pooling kernels natively against the interpreter: global average pooling (vector sums along the
 * last dim with a scalar tail, planes of one and of several rows, a last dim shorter than a
 * vector), and max pooling whose windows never reach the padding (unchecked taps) next to one
 * that does. Max pooling is exact (tolerance 0, indices too); averages allow rtol 1e-6 and
 * atol 1e-6 because the vector partial sums add in a different order than the reference.
 */
class PoolLoweringTest {

    @Test
    void globalAverageSumsVectorsAndTails() {
        String lir = """
                func.func @f(%x: tensor<2x5x3x37xf32>, %z: tensor<1x4x7xf32>, %u: tensor<1x3x2x96xf32>) -> (tensor<2x5x1x1xf32>, tensor<1x4x1xf32>, tensor<1x3x1x1xf32>) {
                  %0 = "nn.global_average_pool"(%x) : (tensor<2x5x3x37xf32>) -> tensor<2x5x1x1xf32>
                  %1 = "nn.global_average_pool"(%z) : (tensor<1x4x7xf32>) -> tensor<1x4x1xf32>
                  %2 = "nn.global_average_pool"(%u) : (tensor<1x3x2x96xf32>) -> tensor<1x3x1x1xf32>
                  func.return %0, %1, %2 : tensor<2x5x1x1xf32>, tensor<1x4x1xf32>, tensor<1x3x1x1xf32>
                }
                """;
        List<DenseElementsAttr> in = List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 2, 5, 3, 37), -1, 1, 1),
                NativeCheck.random(TensorType.of(ScalarType.F32, 1, 4, 7), -1, 1, 2),
                NativeCheck.random(TensorType.of(ScalarType.F32, 1, 3, 2, 96), -1, 1, 3));
        NativeCheck.checkKernel(lir, in, 1e-6, 1e-6);
    }

    @Test
    void maxPoolInteriorAndPaddedWindows() {
        String lir = """
                func.func @f(%x: tensor<1x3x4x19xf32>) -> (tensor<1x3x2x9xf32>, tensor<1x3x2x9xi64>, tensor<1x3x2x10xf32>, tensor<1x3x2x10xi64>) {
                  %0:2 = "nn.max_pool"(%x) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x3x4x19xf32>) -> (tensor<1x3x2x9xf32>, tensor<1x3x2x9xi64>)
                  %2:2 = "nn.max_pool"(%x) {kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 0, 1]} : (tensor<1x3x4x19xf32>) -> (tensor<1x3x2x10xf32>, tensor<1x3x2x10xi64>)
                  func.return %0#0, %0#1, %2#0, %2#1 : tensor<1x3x2x9xf32>, tensor<1x3x2x9xi64>, tensor<1x3x2x10xf32>, tensor<1x3x2x10xi64>
                }
                """;
        NativeCheck.checkKernel(lir, List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 1, 3, 4, 19), -1, 1, 4)), 0, 0);
    }

    @Test
    void maxPoolTreeKeepsTheFirstMaximumAndTheFirstNaN() {
        // integers with many ties (the earliest tap's index must win), 9 taps (an odd tree level)
        String ints = """
                func.func @f(%x: tensor<1x2x5x11xi32>) -> (tensor<1x2x3x9xi32>, tensor<1x2x3x9xi64>) {
                  %0:2 = "nn.max_pool"(%x) {kernel_shape = [3, 3]} : (tensor<1x2x5x11xi32>) -> (tensor<1x2x3x9xi32>, tensor<1x2x3x9xi64>)
                  func.return %0#0, %0#1 : tensor<1x2x3x9xi32>, tensor<1x2x3x9xi64>
                }
                """;
        NativeCheck.checkKernel(ints, List.of(NativeCheck.random(TensorType.of(ScalarType.I32, 1, 2, 5, 11), -3, 3, 5)), 0, 0);
        // floats with NaNs and signed zeros scattered through the windows
        TensorType t = TensorType.of(ScalarType.F32, 1, 1, 4, 10);
        double[] v = new double[40];
        java.util.Random r = new java.util.Random(6);
        for (int i = 0; i < v.length; i++) {
            int pick = r.nextInt(6);
            v[i] = pick == 0 ? Double.NaN : pick == 1 ? -0.0 : pick == 2 ? 0.0 : r.nextDouble() - 0.5;
        }
        String floats = """
                func.func @f(%x: tensor<1x1x4x10xf32>) -> (tensor<1x1x2x5xf32>, tensor<1x1x2x5xi64>) {
                  %0:2 = "nn.max_pool"(%x) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x1x4x10xf32>) -> (tensor<1x1x2x5xf32>, tensor<1x1x2x5xi64>)
                  func.return %0#0, %0#1 : tensor<1x1x2x5xf32>, tensor<1x1x2x5xi64>
                }
                """;
        NativeCheck.checkKernel(floats, List.of(DenseElementsAttr.fromDoubles(t, v)), 0, 0);
    }
}
