package dev.lathe.lowering;

import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Elementwise kernels with broadcasting, in-place reuse and vector remainders, against the interpreter. */
class ElementwiseLoweringTest {

    @Test
    void broadcastChainMatchesInterpreter() {
        String lir = """
                func.func @f(%x: tensor<5x37xf32>, %b: tensor<37xf32>) -> tensor<5x37xf32> {
                  %0 = "nn.add"(%x, %b) : (tensor<5x37xf32>, tensor<37xf32>) -> tensor<5x37xf32>
                  %1 = "nn.relu"(%0) : (tensor<5x37xf32>) -> tensor<5x37xf32>
                  %2 = "nn.exp"(%1) : (tensor<5x37xf32>) -> tensor<5x37xf32>
                  %3 = "nn.mul"(%2, %x) : (tensor<5x37xf32>, tensor<5x37xf32>) -> tensor<5x37xf32>
                  func.return %3 : tensor<5x37xf32>
                }
                """;
        // exp in f32 (a few ulps) against the interpreter's double rounded once
        NativeCheck.check(lir, List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 5, 37), -3, 3, 1),
                NativeCheck.random(TensorType.of(ScalarType.F32, 37), -1, 1, 2)), 1e-6, 1e-7);
    }
}
