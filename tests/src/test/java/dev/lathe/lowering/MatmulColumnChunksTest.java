package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The unpacked matmul kernel split by columns (skinny M: too few row blocks for the tasks, so
 * each work unit is a row block x a chunk of whole column tiles, the last chunk also taking the
 * narrower-vector and scalar tail columns). Two checks per shape: (1) one thread against two at
 * tolerance 0: the split changes which thread computes a column, never its tile or k order;
 * (2) against the interpreter at PackedGemmTest's tolerance (rtol 1e-5, atol 2e-7·K: f32 FMA sums
 * against the reference's double sums). Shapes: M of one block, of a full block and a tail row,
 * of two blocks; N with and without tail columns, with an odd number of whole tiles, and with a
 * single tile (no split); a batch of one.
 */
class MatmulColumnChunksTest {

    @ParameterizedTest(name = "{0}x{1}x{2} batch {3}")
    @CsvSource({
        "16, 384, 384, ''", "16, 331, 47, ''", "9, 331, 64, ''", "3, 200, 5, ''", "1, 320, 33, ''",
        "16, 70, 13, ''", "7, 257, 19, '1'", "16, 63, 9, ''",
    })
    void matchesOneThreadAndInterpreter(int m, int n, int k, String batch) {
        String pre = batch.isEmpty() ? "" : batch + "x";
        String a = "tensor<" + pre + m + "x" + k + "xf32>";
        String b = "tensor<" + k + "x" + n + "xf32>";
        String c = "tensor<" + pre + m + "x" + n + "xf32>";
        DenseElementsAttr av = NativeCheck.random(type(a), -1, 1, 31);
        DenseElementsAttr bv = NativeCheck.random(type(b), -1, 1, 32);
        String lir = "func.func @f(%a: " + a + ", %b: " + b + ") -> " + c + " {\n"
                + "  %0 = \"nn.matmul\"(%a, %b) : (" + a + ", " + b + ") -> " + c + "\n"
                + "  func.return %0 : " + c + "\n}\n";
        List<DenseElementsAttr> one = NativeCheck.runKernel(lir, List.of(av, bv), 1);
        List<DenseElementsAttr> two = NativeCheck.runKernel(lir, List.of(av, bv), 2);
        NativeCheck.compare("2 threads vs 1", one.get(0), two.get(0), 0, 0);
        NativeCheck.check(lir, List.of(av, bv), 1e-5, 2e-7 * k);
    }

    /** The f32 tensor type written {@code tensor<AxBxf32>}. */
    private static TensorType type(String text) {
        String dims = text.substring("tensor<".length(), text.length() - "xf32>".length());
        return TensorType.of(ScalarType.F32, java.util.Arrays.stream(dims.split("x")).mapToLong(Long::parseLong).toArray());
    }
}
