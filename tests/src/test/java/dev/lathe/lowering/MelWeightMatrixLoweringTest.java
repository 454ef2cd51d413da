package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code nn.mel_weight_matrix} natively against the interpreter. The dynamic form's five scalar
 * inputs are frozen by the specialization (they decide the shape); the static form is folded by
 * the graph pipeline, so it is also lowered alone to test the kernel. Edges with equal neighbouring bins (narrow filters at low
 * frequencies) and an upper edge above Nyquist (rows dropped) are covered. Tolerance 1e-7
 * relative: both divide in f64 and round once to f32, so results are identical but for the
 * comparison's slack.
 */
class MelWeightMatrixLoweringTest {

    private static DenseElementsAttr scalar(ScalarType t, double v) {
        TensorType type = TensorType.of(t);
        return t.isFloat() ? DenseElementsAttr.fromDoubles(type, new double[] {v})
                : DenseElementsAttr.fromLongs(type, new long[] {(long) v});
    }

    @Test
    void dynamicFormMatchesInterpreter() {
        String lir = """
                func.func @f(%m: tensor<i32>, %d: tensor<i32>, %r: tensor<i32>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<?x?xf32> {
                  %0 = "nn.mel_weight_matrix"(%m, %d, %r, %lo, %hi) {element_type = f32} : (tensor<i32>, tensor<i32>, tensor<i32>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
                  func.return %0 : tensor<?x?xf32>
                }
                """;
        NativeCheck.check(lir, List.of(scalar(ScalarType.I32, 20), scalar(ScalarType.I32, 64), scalar(ScalarType.I32, 8000),
                scalar(ScalarType.F32, 0), scalar(ScalarType.F32, 5000)), 1e-7, 0);
    }

    @Test
    void staticFormMatchesInterpreter() {
        String lir = """
                func.func @f() -> tensor<33x24xf32> {
                  %0 = "nn.mel_weight_matrix"() {num_mel_bins = 24, dft_length = 64, sample_rate = 16000, lower_edge_hertz = 20.0 : f32, upper_edge_hertz = 8000.0 : f32, element_type = f32} : () -> tensor<33x24xf32>
                  func.return %0 : tensor<33x24xf32>
                }
                """;
        NativeCheck.check(lir, List.of(), 1e-7, 0);
        // fold-constants evaluates it in the graph pipeline: run the kernel itself too.
        NativeCheck.checkKernel(lir, List.of(), 1e-7, 0);
    }
}
