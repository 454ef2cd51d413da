package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.ModelAssertionException;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code nn.max_unpool} natively against the interpreter: the indices of a real max pool
 * (the whole-tensor flat indices), an output_shape graph input larger than the natural shape (frozen, then an
 * attribute), duplicate indices (the later element wins), an integer element type, and an index
 * out of range failing the call. A pure copy: results compare exactly.
 */
class MaxUnpoolLoweringTest {

    @Test
    void unpoolsMaxPoolIndices() {
        String lir = """
                func.func @f(%x: tensor<2x3x8x6xf32>) -> tensor<2x3x8x6xf32> {
                  %p:2 = "nn.max_pool"(%x) {kernel_shape = [2, 3], strides = [2, 3]} : (tensor<2x3x8x6xf32>) -> (tensor<2x3x4x2xf32>, tensor<2x3x4x2xi64>)
                  %y = "nn.max_unpool"(%p#0, %p#1) {kernel_shape = [2, 3], strides = [2, 3]} : (tensor<2x3x4x2xf32>, tensor<2x3x4x2xi64>) -> tensor<2x3x8x6xf32>
                  func.return %y : tensor<2x3x8x6xf32>
                }
                """;
        NativeCheck.check(lir, List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 2, 3, 8, 6), -5, 5, 1)), 0, 0);
    }

    @Test
    void outputShapeInputAndDuplicateIndices() {
        String lir = """
                func.func @f(%x: tensor<1x2x2x2xi32>, %i: tensor<1x2x2x2xi64>, %s: tensor<4xi64>) -> tensor<1x2x?x?xi32> {
                  %y = "nn.max_unpool"(%x, %i, %s) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x2x2x2xi32>, tensor<1x2x2x2xi64>, tensor<4xi64>) -> tensor<1x2x?x?xi32>
                  func.return %y : tensor<1x2x?x?xi32>
                }
                """;
        TensorType xt = TensorType.of(ScalarType.I32, 1, 2, 2, 2);
        DenseElementsAttr indices = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, 1, 2, 2, 2),
                new long[] {0, 5, 5, 15, 16, 3, 31, 16});
        DenseElementsAttr shape = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, 4), new long[] {1, 2, 5, 6});
        NativeCheck.check(lir, List.of(NativeCheck.random(xt, -100, 100, 2), indices, shape), 0, 0);
    }

    @Test
    void indexOutOfRangeFailsTheCall() {
        String lir = """
                func.func @f(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32> {
                  %y = "nn.max_unpool"(%x, %i) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32>
                  func.return %y : tensor<1x1x4x4xf32>
                }
                """;
        List<DenseElementsAttr> in = List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 1, 1, 2, 2), -1, 1, 3),
                DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, 1, 1, 2, 2), new long[] {0, 3, 16, 9}));
        try (CompiledCpuModel model = CpuBackend.compile(IRParser.parse(lir, "test.lir"), in,
                CpuBackend.Options.defaults().withThreads(2))) {
            ModelAssertionException e = assertThrows(ModelAssertionException.class, () -> model.run(in));
            assertTrue(e.getMessage().contains("outside the unpooled shape"), e.getMessage());
        }
    }
}
