package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * f32 {@code nn.matmul} against the interpreter, with B a run-time input and an {@code nn.constant}
 * (packed at compile time): B larger than half of L2 (a constant one: than L1) takes the packed
 * kernel (PackedGemm), on shapes around the micro-tile (MR rows, NR = 16-lane vectors) and KC
 * edges, batched and broadcast, and around the prefetch of the next B slice (one, two and many
 * A panels per slice, fewer rows than MR, one or several depth blocks); small ones the unpacked
 * kernel; A read in place or packed (its rows 4 KB apart). Prefetches change no value, so the
 * tolerance is the kernel's. Tolerance rtol 1e-5 and atol 2e-7·K: sums of K f32 products
 * (|a·b| < 1) accumulate in f32 with FMA, the reference rounds them differently, and
 * near-cancelling sums lose the relative bound, so the absolute error is allowed to grow like K
 * ulps of the terms.
 */
class PackedGemmTest {

    @ParameterizedTest(name = "{0}x{1}x{2} batch {3} constB {4}")
    @CsvSource({
        // B over half of L2 (packed): tails of 1..MR-1 rows, 16+8 and 16+16+...+1 columns, several KC blocks
        "13, 600, 300, '', false", "13, 600, 300, '', true", "29, 577, 290, '', false", "29, 577, 290, '', true",
        "1, 600, 300, '', true", "8, 600, 300, '', false", "64, 417, 700, '', true", "3, 600, 300, '2', true",
        "9, 600, 300, '2', false",
        // GEMV with a constant B (K unblocked, one stream): depth past the usual KC, 8+2 tail columns, batched
        "1, 650, 1000, '', true", "1, 600, 300, '3', true", "1, 1031, 257, '', true",
        // equal KC blocks (K over two blocks, not a multiple of either)
        "30, 600, 601, '', true", "17, 500, 577, '', false",
        // rows of A 4 KB apart (K a multiple of 1024): A packed; other K read A in place
        "19, 300, 1024, '', true", "10, 200, 2048, '2', false",
        // a constant B over L1, under half of L2 (packed): MiniLM's projection at seq 16 (two A
        // panels share the prefetch), fewer rows than MR over one and two depth blocks, tails
        "16, 384, 384, '', true", "1, 384, 384, '', true", "5, 100, 130, '', true", "5, 110, 400, '', true",
        "19, 131, 257, '2', true",
        // small B (the unpacked kernel; a constant B of at most L1 passed as a weight)
        "13, 47, 5, '', true", "7, 1, 9, '', true", "20, 17, 33, '2x3', false", "128, 96, 96, '', true",
    })
    void matchesInterpreter(int m, int n, int k, String batch, boolean constB) {
        check(m, n, k, batch, constB);
    }

    /** {@code [batch..] m x k  times  k x n} (B without batch dims: broadcast over A's). */
    static void check(int m, int n, int k, String batch, boolean constB) {
        String pre = batch.isEmpty() ? "" : batch + "x";
        long[] bdims = batch.isEmpty() ? new long[0] : Arrays.stream(batch.split("x")).mapToLong(Long::parseLong).toArray();
        long[] ashape = concat(bdims, m, k);
        long[] bshape = constB ? new long[] {k, n} : concat(bdims, k, n);
        String a = "tensor<" + pre + m + "x" + k + "xf32>";
        String b = "tensor<" + dims(bshape) + "xf32>";
        String c = "tensor<" + pre + m + "x" + n + "xf32>";
        DenseElementsAttr av = NativeCheck.random(TensorType.of(ScalarType.F32, ashape), -1, 1, 11);
        DenseElementsAttr bv = NativeCheck.random(TensorType.of(ScalarType.F32, bshape), -1, 1, 12);
        List<DenseElementsAttr> inputs = new ArrayList<>(List.of(av));
        String lir;
        if (constB) {
            lir = "func.func @f(%a: " + a + ") -> " + c + " {\n  %b = \"nn.constant\"() {value = " + bv.text()
                    + "} : () -> " + b + "\n  %0 = \"nn.matmul\"(%a, %b) : (" + a + ", " + b + ") -> " + c
                    + "\n  func.return %0 : " + c + "\n}\n";
        } else {
            inputs.add(bv);
            lir = "func.func @f(%a: " + a + ", %b: " + b + ") -> " + c + " {\n  %0 = \"nn.matmul\"(%a, %b) : (" + a
                    + ", " + b + ") -> " + c + "\n  func.return %0 : " + c + "\n}\n";
        }
        NativeCheck.check(lir, inputs, 1e-5, 2e-7 * k);
    }

    private static long[] concat(long[] pre, long x, long y) {
        long[] out = Arrays.copyOf(pre, pre.length + 2);
        out[pre.length] = x;
        out[pre.length + 1] = y;
        return out;
    }

    private static String dims(long[] s) {
        return Arrays.stream(s).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
