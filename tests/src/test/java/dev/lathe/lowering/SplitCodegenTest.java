package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.CompiledObject;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.CpuCodegen;
import dev.lathe.backend.cpu.aot.AotCompiler;
import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SplitCodegen}: a module compiled on several threads (parallel loop bodies spread over
 * per-thread LLVM modules, one object each, linked together by the JIT) computes exactly what
 * the same module compiled as one object does: tolerance 0, since each function is the same
 * code either way (nothing is inlined or specialized across the body boundary). The kernels
 * cover what a part must carry along: a gather (its out-of-range assertion message is a global
 * of part 0), exp (the always-inline vector math helper, copied into every part), a matmul
 * (the largest body). Against the interpreter at PackedGemmTest's tolerance (rtol 1e-5, atol
 * 2e-7·K: f32 FMA sums against double sums; exp is within 1 ulp).
 */
class SplitCodegenTest {

    private static final String LIR = """
            func.func @f(%t: tensor<100x96xf32>, %i: tensor<64xi64>, %b: tensor<96x80xf32>) -> (tensor<64x80xf32>, tensor<64x96xf32>) {
              %0 = "nn.gather"(%t, %i) {axis = 0} : (tensor<100x96xf32>, tensor<64xi64>) -> tensor<64x96xf32>
              %1 = "nn.exp"(%0) : (tensor<64x96xf32>) -> tensor<64x96xf32>
              %2 = "nn.matmul"(%1, %b) : (tensor<64x96xf32>, tensor<96x80xf32>) -> tensor<64x80xf32>
              func.return %2, %1 : tensor<64x80xf32>, tensor<64x96xf32>
            }
            """;

    @Test
    void splitObjectsComputeExactlyWhatOneObjectDoes(@TempDir Path dir) {
        Module module = IRParser.parse(LIR, "split.lir");
        Module lowered = module.copy();
        new PassManager(PassPipeline.parse(CpuBackend.LOWERING_PIPELINE)).verifyEach(true).disableCrashReproducer()
                .run(lowered);
        long[] idx = new long[64];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = (k * 37L) % 100 - (k % 3 == 0 ? 100 : 0); // negative indices count from the end
        }
        List<DenseElementsAttr> inputs = List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 100, 96), -1, 1, 5),
                DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, 64), idx),
                NativeCheck.random(TensorType.of(ScalarType.F32, 96, 80), -1, 1, 6));

        CompiledObject one = CpuCodegen.compile(lowered, null, null, 1);
        CompiledObject split = CpuCodegen.compile(lowered, null, null, 4);
        assertTrue(one.moreObjects().isEmpty(), "one thread, one object");
        assertFalse(split.moreObjects().isEmpty(), "the module has several parallel bodies: it splits");
        try (NativeModel a = JitCompiler.link(one, 2); NativeModel b = JitCompiler.link(split, 2)) {
            List<DenseElementsAttr> want = NativeCheck.run(a, inputs);
            List<DenseElementsAttr> got = NativeCheck.run(b, inputs);
            assertEquals(want.size(), got.size());
            for (int k = 0; k < want.size(); k++) {
                NativeCheck.compare("output " + k + " (split)", want.get(k), got.get(k), 0, 0);
            }
            Interpreter interp = new Interpreter(module);
            List<DenseElementsAttr> ref = interp.run(interp.functions().getFirst(), inputs);
            for (int k = 0; k < ref.size(); k++) {
                NativeCheck.compare("output " + k + " (interpreter)", ref.get(k), got.get(k), 1e-5, 2e-7 * 96);
            }
        }
        // An AOT artifact is one object: a split compile is refused there rather than half written.
        assertThrows(IllegalArgumentException.class, () -> AotCompiler.write(split, dir.resolve("aot")));
    }
}
