package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.frontend.IRParser;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code merge-sibling-matmuls}: three products of one A with constant Bs and constant bias adds
 * (a q/k/v projection), through the default pipeline with and without the pass, lowered and run
 * natively. Tolerance 0 between the two: each output element is the same f32 FMA chain over k in
 * the same order plus the same bias, whether the unpacked kernel or the packed one (the merged B
 * crossing half of L2) forms it, and the slices copy it; the merged graph also at 1 and 2 threads
 * (the k order does not depend on the split). Against the interpreter at PackedGemmTest's
 * tolerance (rtol 1e-5, atol 2e-7·K + 1e-6: f32 sums against the reference's double sums).
 * Shapes (at most max-rows 32 rows): MiniLM's at seq 16 (three 384x384 unpacked products become
 * one packed 384x1152), odd tails with a batch of 2 (unpacked both ways), and a packed merged B
 * with column tails whose first member is itself packed.
 */
class MergeSiblingMatmulsLoweringTest {

    private static final String WITHOUT_MERGE = PassPipeline.DEFAULT;
    /** The default pipeline with the merge where it belongs: after cse and fold-transpose-into-matmul, before the fusions. */
    private static final String WITH_MERGE = PassPipeline.DEFAULT.replace("fold-transpose-into-matmul,",
            "fold-transpose-into-matmul,merge-sibling-matmuls,");

    @ParameterizedTest(name = "{0}x{1}x{2} k {3} n {4} {5} {6}")
    @CsvSource({"1, 16, 384, 384, 384, 384", "2, 13, 67, 33, 50, 21", "1, 9, 300, 577, 290, 100"})
    void mergedGraphIsBitIdenticalToUnmerged(int batch, int m, int k, int n0, int n1, int n2) {
        int[] ns = {n0, n1, n2};
        String text = lir(batch, m, k, ns);
        List<DenseElementsAttr> in = List.of(NativeCheck.random(TensorType.of(ScalarType.F32, batch, m, k), -1, 1, 7));

        String unmerged = optimized(text, WITHOUT_MERGE, 3);
        String merged = optimized(text, WITH_MERGE, 1);
        List<DenseElementsAttr> want = NativeCheck.runKernel(unmerged, in);
        List<DenseElementsAttr> got = NativeCheck.runKernel(merged, in, 2);
        List<DenseElementsAttr> oneThread = NativeCheck.runKernel(merged, in, 1);
        for (int i = 0; i < ns.length; i++) {
            NativeCheck.compare("output " + i + " merged vs unmerged", want.get(i), got.get(i), 0, 0);
            NativeCheck.compare("output " + i + " merged, 1 vs 2 threads", got.get(i), oneThread.get(i), 0, 0);
        }
        NativeCheck.check(text, in, 1e-5, 2e-7 * k + 1e-6);
    }

    /** {@code text} after {@code pipeline}, printed; asserts it holds {@code products} matmuls, each fused with its bias. */
    private static String optimized(String text, String pipeline, int products) {
        Module module = IRParser.parse(text, "test.lir");
        new PassManager(PassPipeline.parse(pipeline)).verifyEach(true).disableCrashReproducer().run(module);
        int[] fused = {0};
        module.walk((Operation op) -> fused[0] += op.isA("nn.matmul") && op.parentOp().isA("nn.fused") ? 1 : 0);
        assertEquals(products, fused[0], "products fused with their bias after " + pipeline);
        return IRPrinter.print(module);
    }

    /** {@code x [batch, m, k]} times three constant {@code [k, n_i]} plus constant biases, the second add bias first. */
    private static String lir(int batch, int m, int k, int[] ns) {
        String x = "tensor<" + batch + "x" + m + "x" + k + "xf32>";
        StringBuilder results = new StringBuilder();
        StringBuilder body = new StringBuilder();
        StringBuilder blobs = new StringBuilder();
        for (int i = 0; i < ns.length; i++) {
            String w = "tensor<" + k + "x" + ns[i] + "xf32>";
            String b = "tensor<" + ns[i] + "xf32>";
            String c = "tensor<" + batch + "x" + m + "x" + ns[i] + "xf32>";
            results.append(i == 0 ? "" : ", ").append(c);
            body.append("    %w" + i + " = \"nn.constant\"() {value = dense_resource<w" + i + "> : " + w + "} : () -> " + w
                    + "\n");
            body.append("    %b" + i + " = \"nn.constant\"() {value = dense_resource<b" + i + "> : " + b + "} : () -> " + b
                    + "\n");
            body.append("    %p" + i + " = \"nn.matmul\"(%x, %w" + i + ") : (" + x + ", " + w + ") -> " + c + "\n");
            body.append(i == 1
                    ? "    %r" + i + " = \"nn.add\"(%b" + i + ", %p" + i + ") : (" + b + ", " + c + ") -> " + c + "\n"
                    : "    %r" + i + " = \"nn.add\"(%p" + i + ", %b" + i + ") : (" + c + ", " + b + ") -> " + c + "\n");
            blobs.append(i == 0 ? "" : ",\n").append(blob("w" + i, TensorType.of(ScalarType.F32, k, ns[i]), -0.1, 0.1, 10 + i))
                    .append(",\n").append(blob("b" + i, TensorType.of(ScalarType.F32, ns[i]), -1, 1, 20 + i));
        }
        return "module {\n  func.func @f(%x: " + x + ") -> (" + results + ") {\n" + body
                + "    func.return %r0, %r1, %r2 : " + results + "\n  }\n}\n{-#\n  dialect_resources: {\n    builtin: {\n"
                + blobs + "\n    }\n  }\n#-}\n";
    }

    /** A resource entry of random values: the 4-byte alignment (64) then the little-endian elements. */
    private static String blob(String name, TensorType type, double lo, double hi, long seed) {
        byte[] bytes = NativeCheck.random(type, lo, hi, seed).toBytes();
        return "      " + name + ": \"0x40000000" + HexFormat.of().withUpperCase().formatHex(bytes) + "\"";
    }
}
