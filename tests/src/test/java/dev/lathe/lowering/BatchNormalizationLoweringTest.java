package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nn.batch_normalization} natively against the interpreter, inference and training mode
 * (batch statistics over N and the spatial dims, running statistics with momentum), on a shape
 * whose innermost dim leaves a vector remainder. Tolerance rtol 1e-5, atol 1e-5: the native code
 * accumulates the mean and variance in f32 over 2·19 = 38 elements per channel where the
 * interpreter uses f64, so a few ulps of the statistics reach y.
 */
class BatchNormalizationLoweringTest {

    @ParameterizedTest(name = "training_mode = {0}")
    @ValueSource(booleans = {false, true})
    void matchesInterpreter(boolean training) {
        TensorType x = TensorType.of(ScalarType.F32, 2, 3, 19);
        TensorType c = TensorType.of(ScalarType.F32, 3);
        String lir = """
                func.func @f(%x: tensor<2x3x19xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<2x3x19xf32>, tensor<3xf32>, tensor<3xf32>) {
                  %r:3 = "nn.batch_normalization"(%x, %s, %b, %m, %v) {epsilon = 1.0e-02 : f32, momentum = 0.8 : f32, training_mode = TRAINING} : (tensor<2x3x19xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x19xf32>, tensor<3xf32>, tensor<3xf32>)
                  func.return %r#0, %r#1, %r#2 : tensor<2x3x19xf32>, tensor<3xf32>, tensor<3xf32>
                }
                """.replace("TRAINING", Boolean.toString(training));
        List<DenseElementsAttr> inputs = List.of(NativeCheck.random(x, -2, 3, 1), NativeCheck.random(c, 0.5, 1.5, 2),
                NativeCheck.random(c, -1, 1, 3), NativeCheck.random(c, -1, 1, 4), NativeCheck.random(c, 0.1, 2, 5));
        NativeCheck.check(lir, inputs, 1e-5, 1e-5);
    }
}
