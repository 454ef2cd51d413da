package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.interp.Interpreter;
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
 * {@code nn.attention} with {@code heads}: q, k, v and the result in the {@code [..., S, H*D]}
 * projection layout. Tolerances: against the interpreter (double, rounded once) the f32 kernel
 * differs by exp and summation rounding, rtol 1e-5 / atol 1e-6 as the unheaded kernel; the
 * folded form against the unfolded graph: 0 in the interpreter (the same double arithmetic on
 * the same per-head values); natively the interpreter bound, since the schedules may split the
 * dot products differently.
 */
class AttentionHeadsLoweringTest {

    /** Batch 2, 4 heads of 8, sequence 8 with a padding mask (one row fully masked for batch 1). */
    private static final String UNFOLDED = """
            func.func @f(%q: tensor<2x8x32xf32>, %k: tensor<2x8x32xf32>, %v: tensor<2x8x32xf32>, %m: tensor<2x1x1x8xf32>) -> tensor<2x8x32xf32> {
              %q4 = "nn.reshape"(%q) {shape = [2, 8, 4, 8]} : (tensor<2x8x32xf32>) -> tensor<2x8x4x8xf32>
              %qt = "nn.transpose"(%q4) {perm = [0, 2, 1, 3]} : (tensor<2x8x4x8xf32>) -> tensor<2x4x8x8xf32>
              %k4 = "nn.reshape"(%k) {shape = [2, 8, 4, 8]} : (tensor<2x8x32xf32>) -> tensor<2x8x4x8xf32>
              %kt = "nn.transpose"(%k4) {perm = [0, 2, 3, 1]} : (tensor<2x8x4x8xf32>) -> tensor<2x4x8x8xf32>
              %v4 = "nn.reshape"(%v) {shape = [2, 8, 4, 8]} : (tensor<2x8x32xf32>) -> tensor<2x8x4x8xf32>
              %vt = "nn.transpose"(%v4) {perm = [0, 2, 1, 3]} : (tensor<2x8x4x8xf32>) -> tensor<2x4x8x8xf32>
              %a = "nn.attention"(%qt, %kt, %vt, %m) {k_transposed = true, scale = 0.35355338 : f32} : (tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x1x1x8xf32>) -> tensor<2x4x8x8xf32>
              %b = "nn.transpose"(%a) {perm = [0, 2, 1, 3]} : (tensor<2x4x8x8xf32>) -> tensor<2x8x4x8xf32>
              %o = "nn.reshape"(%b) {shape = [2, 8, 32]} : (tensor<2x8x4x8xf32>) -> tensor<2x8x32xf32>
              func.return %o : tensor<2x8x32xf32>
            }
            """;

    private static final String FOLDED = """
            func.func @f(%q: tensor<2x8x32xf32>, %k: tensor<2x8x32xf32>, %v: tensor<2x8x32xf32>, %m: tensor<2x1x1x8xf32>) -> tensor<2x8x32xf32> {
              %o = "nn.attention"(%q, %k, %v, %m) {heads = 4, k_transposed = false, scale = 0.35355338 : f32} : (tensor<2x8x32xf32>, tensor<2x8x32xf32>, tensor<2x8x32xf32>, tensor<2x1x1x8xf32>) -> tensor<2x8x32xf32>
              func.return %o : tensor<2x8x32xf32>
            }
            """;

    private static List<DenseElementsAttr> inputs() {
        TensorType t = TensorType.of(ScalarType.F32, 2, 8, 32);
        // mask: 0 or -inf (the second batch's last three keys padded)
        double[] mask = new double[16];
        for (int j = 13; j < 16; j++) {
            mask[j] = Float.NEGATIVE_INFINITY;
        }
        return List.of(NativeCheck.random(t, -2, 2, 1), NativeCheck.random(t, -2, 2, 2), NativeCheck.random(t, -2, 2, 3),
                DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 2, 1, 1, 8), mask));
    }

    @Test
    void headsKernelMatchesInterpreter() {
        NativeCheck.checkKernel(FOLDED, inputs(), 1e-5, 1e-6);
    }

    @Test
    void headsAttributeMeansTheUnfoldedGraph() {
        List<DenseElementsAttr> in = inputs();
        DenseElementsAttr unfolded = interpret(UNFOLDED, in);
        NativeCheck.compare("interpreter: heads vs unfolded", unfolded, interpret(FOLDED, in), 0, 0);
    }

    @Test
    void foldedMatchesUnfoldedNative() {
        Module m = IRParser.parse(UNFOLDED, "test.lir");
        new PassManager(PassPipeline.parse(PassPipeline.DEFAULT)).verifyEach(true).disableCrashReproducer().run(m);
        long[] ops = {0};
        m.walk((Operation op) -> ops[0] += op.isA("nn.transpose") || op.isA("nn.reshape") ? 1 : 0);
        assertEquals(0, ops[0], "the default pipeline folds every reshape and transpose");
        List<DenseElementsAttr> in = inputs();
        // Not bit-identical: the default pipeline also fuses the code around the attention and the
        // folded kernel reads [S, H*D] rows with a head stride, so schedules (dot-product splits,
        // thread chunks) differ from -O0's; both are held to the interpreter bound.
        NativeCheck.compare("native: folded vs unfolded", runNative(UNFOLDED, in, false), runNative(UNFOLDED, in, true),
                1e-5, 1e-6);
    }

    private static DenseElementsAttr interpret(String lir, List<DenseElementsAttr> in) {
        Interpreter interp = new Interpreter(IRParser.parse(lir, "test.lir"));
        return interp.run(interp.functions().getFirst(), in).getFirst();
    }

    private static DenseElementsAttr runNative(String lir, List<DenseElementsAttr> in, boolean optimize) {
        Module module = IRParser.parse(lir, "test.lir");
        try (CompiledCpuModel model = CpuBackend.compile(module, in,
                CpuBackend.Options.defaults().withThreads(2).withOptimize(optimize))) {
            return model.run(in).getFirst();
        }
    }
}
