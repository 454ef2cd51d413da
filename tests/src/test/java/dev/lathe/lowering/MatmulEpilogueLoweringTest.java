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
 * {@code nn.fused} with a matmul body (made by {@code fuse-matmul-epilogue}): bias, GELU and
 * residual applied to the sums before the store, in the unpacked kernel (small B) and the packed
 * one (B larger than half of L2, a K of several KC blocks so the epilogue runs on the last block
 * only), with a constant B packed at compile time and with a run-time B. Tolerance 0 against the
 * unfused graph compiled natively ({@code -O0}): the epilogue applies the same f32 ops to the same
 * f32 sums as the separate kernels did. Against the interpreter: rtol 1e-5 (f32 sums in k order,
 * erf in f32), atol 1e-5 for sums near zero.
 */
class MatmulEpilogueLoweringTest {

    private static String lir(long m, long k, long n, boolean constantB) {
        String w = constantB ? "" : ", %w: tensor<KxNxf32>";
        String constant = constantB
                ? "  %w = \"nn.constant\"() {value = dense<0.03125> : tensor<KxNxf32>} : () -> tensor<KxNxf32>\n" : "";
        return ("""
                func.func @f(%x: tensor<2xMxKxf32>W, %b: tensor<Nxf32>, %r: tensor<2xMxNxf32>) -> (tensor<2xMxNxf32>, tensor<2xMxNxf32>) {
                CONST  %0 = "nn.matmul"(%x, %w) : (tensor<2xMxKxf32>, tensor<KxNxf32>) -> tensor<2xMxNxf32>
                  %1 = "nn.add"(%0, %b) : (tensor<2xMxNxf32>, tensor<Nxf32>) -> tensor<2xMxNxf32>
                  %2 = "nn.gelu"(%1) : (tensor<2xMxNxf32>) -> tensor<2xMxNxf32>
                  %xn = "nn.neg"(%x) : (tensor<2xMxKxf32>) -> tensor<2xMxKxf32>
                  %3 = "nn.matmul"(%xn, %w) : (tensor<2xMxKxf32>, tensor<KxNxf32>) -> tensor<2xMxNxf32>
                  %4 = "nn.add"(%3, %b) : (tensor<2xMxNxf32>, tensor<Nxf32>) -> tensor<2xMxNxf32>
                  %5 = "nn.add"(%4, %r) : (tensor<2xMxNxf32>, tensor<2xMxNxf32>) -> tensor<2xMxNxf32>
                  func.return %2, %5 : tensor<2xMxNxf32>, tensor<2xMxNxf32>
                }
                """).replace("W,", w + ",").replace("CONST", constant).replace("xM", "x" + m).replace("Kx", k + "x")
                .replace("xK", "x" + k).replace("xN", "x" + n).replace("<N", "<" + n).replace("<K", "<" + k);
    }

    private static List<DenseElementsAttr> inputs(long m, long k, long n, boolean constantB) {
        List<DenseElementsAttr> in = new java.util.ArrayList<>();
        in.add(NativeCheck.random(TensorType.of(ScalarType.F32, 2, m, k), -1, 1, 1));
        if (!constantB) {
            in.add(NativeCheck.random(TensorType.of(ScalarType.F32, k, n), -0.1, 0.1, 2));
        }
        in.add(NativeCheck.random(TensorType.of(ScalarType.F32, n), -1, 1, 3));
        in.add(NativeCheck.random(TensorType.of(ScalarType.F32, 2, m, n), -1, 1, 4));
        return in;
    }

    private static void check(long m, long k, long n, boolean constantB) {
        String text = lir(m, k, n, constantB);
        assertEquals(2, fusedMatmuls(text), "both products take their epilogues");
        List<DenseElementsAttr> in = inputs(m, k, n, constantB);
        List<DenseElementsAttr> unfused = runNative(text, in, false);
        List<DenseElementsAttr> fused = runNative(text, in, true);
        for (int i = 0; i < 2; i++) {
            NativeCheck.compare("output " + i + " fused vs unfused", unfused.get(i), fused.get(i), 0, 0);
        }
    }

    @Test
    void unpackedKernelEpilogueIsBitIdentical() {
        check(32, 64, 99, false);
        NativeCheck.check(lir(32, 64, 99, false), inputs(32, 64, 99, false), 1e-5, 1e-5);
    }

    @Test
    void packedKernelEpilogueIsBitIdentical() {
        check(9, 700, 800, true);  // constant B packed at compile time; K over several KC blocks
        check(9, 700, 800, false); // run-time B packed per call
    }

    private static long fusedMatmuls(String text) {
        Module m = IRParser.parse(text, "test.lir");
        new PassManager(PassPipeline.parse(PassPipeline.DEFAULT)).verifyEach(true).disableCrashReproducer().run(m);
        long[] n = {0};
        m.walk((Operation op) -> n[0] += op.isA("nn.matmul") && op.parentOp().isA("nn.fused") ? 1 : 0);
        return n[0];
    }

    private static List<DenseElementsAttr> runNative(String text, List<DenseElementsAttr> in, boolean optimize) {
        Module module = IRParser.parse(text, "test.lir");
        try (CompiledCpuModel model = CpuBackend.compile(module, in,
                CpuBackend.Options.defaults().withThreads(2).withOptimize(optimize))) {
            return model.run(in);
        }
    }
}
