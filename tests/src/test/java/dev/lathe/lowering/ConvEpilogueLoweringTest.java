package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code nn.fused} with a conv body (made by {@code fuse-matmul-epilogue}): the conv's own bias
 * then relu; a per-channel bias {@code [C, 1, 1]}, a residual of the conv's shape and relu after a
 * strided grouped conv; a hard-swish made of max/min/mul/div with one-element constants. Widths
 * that leave scalar borders and vector interiors. Tolerance 0 against the unfused graph compiled
 * natively ({@code -O0}): the epilogue applies the same f32 ops to the same f32 sums (bias added
 * in f32 as unfused) as the separate kernels did. Against the interpreter: rtol 1e-5 and atol 1e-5
 * (f32 sums in a different tap order than the reference's).
 */
class ConvEpilogueLoweringTest {

    private static final String LIR = """
            func.func @f(%x: tensor<1x16x20x27xf32>, %w: tensor<32x16x3x3xf32>, %b: tensor<32xf32>, %wg: tensor<32x8x3x3xf32>, %c: tensor<32x1x1xf32>, %r: tensor<1x32x10x14xf32>) -> (tensor<1x32x20x27xf32>, tensor<1x32x10x14xf32>, tensor<1x32x20x27xf32>) {
              %0 = "nn.conv"(%x, %w, %b) {pads = [1, 1, 1, 1]} : (tensor<1x16x20x27xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>) -> tensor<1x32x20x27xf32>
              %1 = "nn.relu"(%0) : (tensor<1x32x20x27xf32>) -> tensor<1x32x20x27xf32>
              %2 = "nn.conv"(%x, %wg) {group = 2, strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<1x16x20x27xf32>, tensor<32x8x3x3xf32>) -> tensor<1x32x10x14xf32>
              %3 = "nn.add"(%2, %c) : (tensor<1x32x10x14xf32>, tensor<32x1x1xf32>) -> tensor<1x32x10x14xf32>
              %4 = "nn.add"(%3, %r) : (tensor<1x32x10x14xf32>, tensor<1x32x10x14xf32>) -> tensor<1x32x10x14xf32>
              %5 = "nn.relu"(%4) : (tensor<1x32x10x14xf32>) -> tensor<1x32x10x14xf32>
              %6 = "nn.conv"(%x, %w) {pads = [1, 1, 1, 1]} : (tensor<1x16x20x27xf32>, tensor<32x16x3x3xf32>) -> tensor<1x32x20x27xf32>
              %three = "nn.constant"() {value = dense<3.0> : tensor<f32>} : () -> tensor<f32>
              %zero = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
              %six = "nn.constant"() {value = dense<6.0> : tensor<f32>} : () -> tensor<f32>
              %7 = "nn.add"(%6, %three) : (tensor<1x32x20x27xf32>, tensor<f32>) -> tensor<1x32x20x27xf32>
              %8 = "nn.max"(%7, %zero) : (tensor<1x32x20x27xf32>, tensor<f32>) -> tensor<1x32x20x27xf32>
              %9 = "nn.min"(%8, %six) : (tensor<1x32x20x27xf32>, tensor<f32>) -> tensor<1x32x20x27xf32>
              %10 = "nn.mul"(%6, %9) : (tensor<1x32x20x27xf32>, tensor<1x32x20x27xf32>) -> tensor<1x32x20x27xf32>
              %11 = "nn.div"(%10, %six) : (tensor<1x32x20x27xf32>, tensor<f32>) -> tensor<1x32x20x27xf32>
              func.return %1, %5, %11 : tensor<1x32x20x27xf32>, tensor<1x32x10x14xf32>, tensor<1x32x20x27xf32>
            }
            """;

    private static List<DenseElementsAttr> inputs() {
        return List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 1, 16, 20, 27), -1, 1, 1),
                NativeCheck.random(TensorType.of(ScalarType.F32, 32, 16, 3, 3), -0.2, 0.2, 2),
                NativeCheck.random(TensorType.of(ScalarType.F32, 32), -1, 1, 3),
                NativeCheck.random(TensorType.of(ScalarType.F32, 32, 8, 3, 3), -0.2, 0.2, 4),
                NativeCheck.random(TensorType.of(ScalarType.F32, 32, 1, 1), -1, 1, 5),
                NativeCheck.random(TensorType.of(ScalarType.F32, 1, 32, 10, 14), -1, 1, 6));
    }

    @Test
    void convEpiloguesAreBitIdenticalToUnfused() {
        assertEquals(3, fusedConvs(LIR), "every conv takes its epilogue");
        List<DenseElementsAttr> in = inputs();
        List<DenseElementsAttr> unfused = runNative(in, false);
        List<DenseElementsAttr> fused = runNative(in, true);
        for (int i = 0; i < 3; i++) {
            NativeCheck.compare("output " + i + " fused vs unfused", unfused.get(i), fused.get(i), 0, 0);
        }
    }

    @Test
    void convEpiloguesMatchTheInterpreter() {
        NativeCheck.check(LIR, inputs(), 1e-5, 1e-5);
    }

    private static long fusedConvs(String text) {
        Module m = IRParser.parse(text, "test.lir");
        new PassManager(PassPipeline.parse(PassPipeline.DEFAULT)).verifyEach(true).disableCrashReproducer().run(m);
        long[] n = {0};
        m.walk((Operation op) -> n[0] += op.isA("nn.conv") && op.parentOp().isA("nn.fused") ? 1 : 0);
        return n[0];
    }

    private static List<DenseElementsAttr> runNative(List<DenseElementsAttr> in, boolean optimize) {
        Module module = IRParser.parse(LIR, "test.lir");
        try (CompiledCpuModel model = CpuBackend.compile(module, in,
                CpuBackend.Options.defaults().withThreads(2).withOptimize(optimize))) {
            return model.run(in);
        }
    }
}
