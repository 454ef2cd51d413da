package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ops with data-dependent output shapes ({@code nn.non_zero}, {@code nn.compress}) natively
 * against the interpreter: the kernel writes a bounded buffer and the extent, the JIT cuts it
 * (a repack for non_zero's {@code [rank, n]} and for compress along an inner axis). Results are
 * indices and copied elements, so they compare exactly (tolerance 0).
 */
class DataDependentShapesTest {

    @Test
    void nonZeroMatchesInterpreter() {
        String lir = """
                func.func @f(%x: tensor<3x4x5xf32>) -> tensor<3x?xi64> {
                  %0 = "nn.non_zero"(%x) : (tensor<3x4x5xf32>) -> tensor<3x?xi64>
                  func.return %0 : tensor<3x?xi64>
                }
                """;
        double[] v = new double[60];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 3 == 0 ? 0.0 : i % 7 == 0 ? Double.NaN : i % 5 == 0 ? -0.0 : i * 0.5;
        }
        NativeCheck.check(lir, List.of(DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 3, 4, 5), v)), 0, 0);
    }

    @Test
    void compressAlongAnInnerAxisMatchesInterpreter() {
        String lir = """
                func.func @f(%x: tensor<2x5x3xi32>, %c: tensor<4xi1>) -> tensor<2x?x3xi32> {
                  %0 = "nn.compress"(%x, %c) {axis = 1} : (tensor<2x5x3xi32>, tensor<4xi1>) -> tensor<2x?x3xi32>
                  func.return %0 : tensor<2x?x3xi32>
                }
                """;
        NativeCheck.check(lir, List.of(NativeCheck.random(TensorType.of(ScalarType.I32, 2, 5, 3), -50, 50, 1),
                DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I1, 4), new long[] {0, 1, 0, 1})), 0, 0);
    }

    @Test
    void compressFlattenedMatchesInterpreter() {
        String lir = """
                func.func @f(%x: tensor<2x3xf32>, %c: tensor<5xf32>) -> tensor<?xf32> {
                  %0 = "nn.compress"(%x, %c) : (tensor<2x3xf32>, tensor<5xf32>) -> tensor<?xf32>
                  func.return %0 : tensor<?xf32>
                }
                """;
        NativeCheck.check(lir, List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 2, 3), -1, 1, 2),
                DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 5), new double[] {1, 0, 2, 0, -1})), 0, 0);
    }

    @Test
    void rejectsADataDependentResultFeedingAnotherOp() {
        String lir = """
                func.func @f(%x: tensor<4xf32>) -> tensor<1x?xi64> {
                  %0 = "nn.non_zero"(%x) : (tensor<4xf32>) -> tensor<1x?xi64>
                  %1 = "nn.neg"(%0) : (tensor<1x?xi64>) -> tensor<1x?xi64>
                  func.return %1 : tensor<1x?xi64>
                }
                """;
        var input = NativeCheck.random(TensorType.of(ScalarType.F32, 4), -1, 1, 3);
        Exception e = assertThrows(RuntimeException.class, () -> CpuBackend.compile(IRParser.parse(lir, "test.lir"),
                List.of(input), CpuBackend.Options.defaults()).close());
        assertTrue(e.getMessage().contains("data-dependent shape") && e.getMessage().contains("nn.neg"), e.getMessage());
    }
}
