package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.matmul} with {@code transpose_a} / {@code transpose_b}: the operands are stored with
 * their last two dims swapped. Two checks per shape: (1) the native kernel of the attributed
 * matmul against the native kernels of the unfolded graph ({@code nn.transpose} then a plain
 * matmul), lowered as written (no graph pipeline), at tolerance 0: both form the same f32 FMA
 * chains in the same k order, only the addressing differs; (2) the attributed matmul against the
 * interpreter, and the unfolded graph plus a bias through the default pipeline (folded by
 * fold-transpose-into-matmul, then fused with its epilogue), at PackedGemmTest's tolerance
 * (rtol 1e-5, atol 2e-7·K: f32 FMA sums against the reference's double sums). Shapes: small
 * (the unpacked kernel) and B over half of L2 with 29 rows (the packed kernel, tails and several
 * KC blocks), batched with a broadcast B.
 */
class MatmulTransposeLoweringTest {

    @ParameterizedTest(name = "{0}x{1}x{2} batch {3} ta {4} tb {5}")
    @CsvSource({
        "13, 17, 33, '', true, false", "13, 17, 33, '', false, true", "13, 17, 33, '', true, true",
        "5, 9, 7, '2x3', true, true", "29, 577, 290, '', false, true", "29, 577, 290, '', true, false",
        "9, 600, 300, '2', true, true",
    })
    void matchesUnfoldedGraphAndInterpreter(int m, int n, int k, String batch, boolean ta, boolean tb) {
        String pre = batch.isEmpty() ? "" : batch + "x";
        String aStored = "tensor<" + pre + (ta ? k + "x" + m : m + "x" + k) + "xf32>";
        String aLogical = "tensor<" + pre + m + "x" + k + "xf32>";
        // B without batch dims: broadcast over A's.
        String bStored = "tensor<" + (tb ? n + "x" + k : k + "x" + n) + "xf32>";
        String bLogical = "tensor<" + k + "x" + n + "xf32>";
        String c = "tensor<" + pre + m + "x" + n + "xf32>";
        String bias = "tensor<" + n + "xf32>";
        int r = batch.isEmpty() ? 2 : 2 + batch.split("x").length;
        String aPerm = swapPerm(r);
        DenseElementsAttr av = NativeCheck.random(type(aStored), -1, 1, 21);
        DenseElementsAttr bv = NativeCheck.random(type(bStored), -1, 1, 22);
        DenseElementsAttr biasv = NativeCheck.random(type(bias), -1, 1, 23);
        String attrs = ta && tb ? " {transpose_a = true, transpose_b = true}" : ta ? " {transpose_a = true}"
                : tb ? " {transpose_b = true}" : "";
        String folded = "func.func @f(%a: " + aStored + ", %b: " + bStored + ") -> " + c + " {\n"
                + "  %0 = \"nn.matmul\"(%a, %b)" + attrs + " : (" + aStored + ", " + bStored + ") -> " + c + "\n"
                + "  func.return %0 : " + c + "\n}\n";
        StringBuilder unfolded = new StringBuilder("func.func @f(%a: " + aStored + ", %b: " + bStored
                + ", %bias: " + bias + ") -> (" + c + ", " + c + ") {\n");
        unfolded.append(ta ? "  %at = \"nn.transpose\"(%a) {perm = " + aPerm + "} : (" + aStored + ") -> " + aLogical
                + "\n" : "");
        unfolded.append(tb ? "  %bt = \"nn.transpose\"(%b) {perm = [1, 0]} : (" + bStored + ") -> " + bLogical + "\n"
                : "");
        unfolded.append("  %0 = \"nn.matmul\"(" + (ta ? "%at" : "%a") + ", " + (tb ? "%bt" : "%b") + ") : ("
                + aLogical + ", " + bLogical + ") -> " + c + "\n");
        unfolded.append("  %1 = \"nn.add\"(%0, %bias) : (" + c + ", " + bias + ") -> " + c + "\n");
        unfolded.append("  func.return %0, %1 : " + c + ", " + c + "\n}\n");
        List<DenseElementsAttr> want = NativeCheck.runKernel(unfolded.toString(), List.of(av, bv, biasv));
        List<DenseElementsAttr> got = NativeCheck.runKernel(folded, List.of(av, bv));
        NativeCheck.compare("transposed attributes vs unfolded graph", want.get(0), got.get(0), 0, 0);
        NativeCheck.check(folded, List.of(av, bv), 1e-5, 2e-7 * k);
        NativeCheck.check(unfolded.toString(), List.of(av, bv, biasv), 1e-5, 2e-7 * k + 1e-6);
    }

    /** The f32 tensor type written {@code tensor<AxBxf32>}. */
    private static TensorType type(String text) {
        String dims = text.substring("tensor<".length(), text.length() - "xf32>".length());
        return TensorType.of(ScalarType.F32, java.util.Arrays.stream(dims.split("x")).mapToLong(Long::parseLong).toArray());
    }

    /** {@code [0, 1, .., r-1, r-2]}: the permutation swapping the last two of {@code r} dims. */
    private static String swapPerm(int r) {
        StringBuilder s = new StringBuilder("[");
        for (int d = 0; d < r; d++) {
            s.append(d == 0 ? "" : ", ").append(d == r - 2 ? r - 1 : d == r - 1 ? r - 2 : d);
        }
        return s.append("]").toString();
    }
}
