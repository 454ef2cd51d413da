package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.FusedOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * {@code nn.fused} kernels: a hand-written fused op against the interpreter (kernel only), and
 * chains fused by the default pipeline against the same chains compiled unfused ({@code -O0}).
 * Tolerances: against the interpreter as the unfused kernels (f32 math a few ulps: rtol 1e-5;
 * f16/bf16 one ulp per op); fused against unfused native code: 0, since the fused kernel runs
 * each op's own body and rounds where the unfused kernels stored (bit-identical is claimed).
 */
class FusedLoweringTest {

    /** add with a broadcast row, relu, an immediate multiply, exp: the body in registers. */
    @Test
    void handWrittenFusedOpMatchesInterpreter() {
        String lir = """
                func.func @f(%x: tensor<5x37xf32>, %b: tensor<37xf32>) -> (tensor<5x37xf32>, tensor<5x37xf32>) {
                  %r:2 = "nn.fused"(%x, %b) ({
                  ^bb0(%a: tensor<5x37xf32>, %c: tensor<37xf32>):
                    %half = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
                    %0 = "nn.add"(%a, %c) : (tensor<5x37xf32>, tensor<37xf32>) -> tensor<5x37xf32>
                    %1 = "nn.relu"(%0) : (tensor<5x37xf32>) -> tensor<5x37xf32>
                    %2 = "nn.mul"(%1, %half) : (tensor<5x37xf32>, tensor<f32>) -> tensor<5x37xf32>
                    %3 = "nn.exp"(%2) : (tensor<5x37xf32>) -> tensor<5x37xf32>
                    "nn.yield"(%3, %0) : (tensor<5x37xf32>, tensor<5x37xf32>) -> ()
                  }) : (tensor<5x37xf32>, tensor<37xf32>) -> (tensor<5x37xf32>, tensor<5x37xf32>)
                  func.return %r#0, %r#1 : tensor<5x37xf32>, tensor<5x37xf32>
                }
                """;
        // exp in f32 (a few ulps) against the interpreter's double rounded once; add/relu/mul exact
        NativeCheck.checkKernel(lir, List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 5, 37), -3, 3, 1),
                NativeCheck.random(TensorType.of(ScalarType.F32, 37), -1, 1, 2)), 1e-6, 1e-7);
    }

    /** A GELU-MLP-style tail with broadcasting, a comparison and a select, in every float type. */
    @ParameterizedTest
    @EnumSource(value = ScalarType.class, names = {"F32", "F16", "BF16", "F64"})
    void fusedChainIsBitIdenticalToUnfused(ScalarType et) {
        String t = et.text();
        String lir = """
                func.func @f(%x: tensor<6x37xT>, %b: tensor<37xT>, %s: tensor<6x1xT>) -> tensor<6x37xT> {
                  %half = "nn.constant"() {value = dense<0.5> : tensor<T>} : () -> tensor<T>
                  %0 = "nn.add"(%x, %b) : (tensor<6x37xT>, tensor<37xT>) -> tensor<6x37xT>
                  %1 = "nn.gelu"(%0) : (tensor<6x37xT>) -> tensor<6x37xT>
                  %2 = "nn.mul"(%1, %s) : (tensor<6x37xT>, tensor<6x1xT>) -> tensor<6x37xT>
                  %3 = "nn.sigmoid"(%s) : (tensor<6x1xT>) -> tensor<6x1xT>
                  %4 = "nn.sub"(%2, %3) : (tensor<6x37xT>, tensor<6x1xT>) -> tensor<6x37xT>
                  %5 = "nn.greater"(%4, %half) : (tensor<6x37xT>, tensor<T>) -> tensor<6x37xi1>
                  %6 = "nn.tanh"(%4) : (tensor<6x37xT>) -> tensor<6x37xT>
                  %7 = "nn.where"(%5, %6, %4) : (tensor<6x37xi1>, tensor<6x37xT>, tensor<6x37xT>) -> tensor<6x37xT>
                  func.return %7 : tensor<6x37xT>
                }
                """.replace("T>", t + ">").replace("xT", "x" + t);
        List<DenseElementsAttr> inputs = List.of(NativeCheck.random(TensorType.of(et, 6, 37), -3, 3, 11),
                NativeCheck.random(TensorType.of(et, 37), -1, 1, 12), NativeCheck.random(TensorType.of(et, 6, 1), -2, 2, 13));
        assertEquals(1, fusedOps(lir), "the whole chain becomes one nn.fused");
        DenseElementsAttr unfused = runNative(lir, inputs, false);
        DenseElementsAttr fused = runNative(lir, inputs, true);
        NativeCheck.compare("fused vs unfused (" + t + ")", unfused, fused, 0, 0);
        double rtol = et == ScalarType.F32 ? 1e-5 : et == ScalarType.F64 ? 1e-12 : et == ScalarType.F16 ? 1e-2 : 6e-2;
        // against the interpreter: per-op rounding in f16/bf16 compounds over the chain's ops
        NativeCheck.check(lir, inputs, rtol, rtol);
    }

    /** A producer read outside the chain becomes a second result instead of a second kernel. */
    @Test
    void sharedProducerBecomesExtraResult() {
        String lir = """
                func.func @f(%x: tensor<4x33xf32>, %y: tensor<4x33xf32>) -> (tensor<4x33xf32>, tensor<4x33xf32>) {
                  %0 = "nn.mul"(%x, %y) : (tensor<4x33xf32>, tensor<4x33xf32>) -> tensor<4x33xf32>
                  %1 = "nn.sqrt"(%0) : (tensor<4x33xf32>) -> tensor<4x33xf32>
                  %2 = "nn.neg"(%1) : (tensor<4x33xf32>) -> tensor<4x33xf32>
                  func.return %2, %0 : tensor<4x33xf32>, tensor<4x33xf32>
                }
                """;
        assertEquals(1, fusedOps(lir));
        // sqrt is correctly rounded in f32, mul and neg exact
        NativeCheck.check(lir, List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 4, 33), 0, 3, 3),
                NativeCheck.random(TensorType.of(ScalarType.F32, 4, 33), 0, 3, 4)), 0, 0);
    }

    private static long fusedOps(String lir) {
        Module m = IRParser.parse(lir, "test.lir");
        new PassManager(PassPipeline.parse(PassPipeline.DEFAULT)).verifyEach(true).disableCrashReproducer().run(m);
        long[] n = {0};
        m.walk((Operation op) -> n[0] += op.isA(FusedOp.NAME) ? 1 : 0);
        assertTrue(n[0] >= 0);
        return n[0];
    }

    private static DenseElementsAttr runNative(String lir, List<DenseElementsAttr> inputs, boolean optimize) {
        Module module = IRParser.parse(lir, "test.lir");
        try (CompiledCpuModel model = CpuBackend.compile(module, inputs,
                CpuBackend.Options.defaults().withThreads(2).withOptimize(optimize))) {
            return model.run(inputs).getFirst();
        }
    }
}
