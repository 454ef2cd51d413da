package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.attention}'s stages against the interpreter: the score tiles (4 rows × 4 vectors
 * along Sk, a partial tile of 1-3 vectors, scalar keys: Sk = 130, 77, 37, 16, 3), the row blocks
 * (8, 4, 2, 1 rows: Sq = 16/24/8, 12/4, 2, 5/3; a block's scores in a stack buffer, or in the
 * shared workspace when they pass 32 KiB: Sk = 1100), and the p·v stage (column vectors in groups of
 * four sharing each p[j], rows split so at most 16 accumulators, j split
 * over several partial sums) on shapes that reach every path: a full
 * group of four 16-lane vectors, a partial group, scalar leftover columns (Dv = 83 = 5·16 + 3),
 * Sk that is not a multiple of the partial-sum count (37) or smaller than it (3), with and
 * without a mask, with and without heads. Tolerance rtol 1e-5 / atol 1e-6, as the other attention
 * tests: the kernel rounds in f32 (exp, then sums in a different order from the reference's
 * double), a few ulps per output.
 */
class AttentionKernelTest {

    @ParameterizedTest(name = "sq={0} sk={1} d={2} dv={3} mask={4}")
    @CsvSource({"5, 37, 24, 83, true", "4, 3, 8, 16, false", "3, 37, 16, 64, true", "2, 130, 32, 7, false",
            "8, 37, 24, 83, true", "16, 130, 32, 32, true", "12, 77, 8, 64, false", "24, 16, 5, 128, true",
            "8, 1100, 4, 16, true"})
    void matchesInterpreter(int sq, int sk, int d, int dv, boolean mask) {
        TensorType q = TensorType.of(ScalarType.F32, 1, 2, sq, d);
        TensorType k = TensorType.of(ScalarType.F32, 1, 2, sk, d);
        TensorType v = TensorType.of(ScalarType.F32, 1, 2, sk, dv);
        TensorType m = TensorType.of(ScalarType.F32, 1, 1, 1, sk);
        TensorType o = TensorType.of(ScalarType.F32, 1, 2, sq, dv);
        String lir = "func.func @f(%q: " + q.text() + ", %k: " + k.text() + ", %v: " + v.text()
                + (mask ? ", %m: " + m.text() : "") + ") -> " + o.text() + " {\n"
                + "  %0 = \"nn.attention\"(%q, %k, %v" + (mask ? ", %m" : "") + ") {k_transposed = false, scale = 0.2 : f32} : ("
                + q.text() + ", " + k.text() + ", " + v.text() + (mask ? ", " + m.text() : "") + ") -> " + o.text() + "\n"
                + "  func.return %0 : " + o.text() + "\n}\n";
        var inputs = new java.util.ArrayList<>(List.of(NativeCheck.random(q, -1, 1, 1), NativeCheck.random(k, -1, 1, 2),
                NativeCheck.random(v, -1, 1, 3)));
        if (mask) {
            double[] mv = new double[sk];
            for (int j = 0; j < sk; j++) {
                mv[j] = j % 5 == 4 ? Double.NEGATIVE_INFINITY : -0.5 * (j % 3);
            }
            inputs.add(DenseElementsAttr.fromDoubles(m, mv));
        }
        NativeCheck.checkKernel(lir, inputs, 1e-5, 1e-6);
    }

    /** Row blocks and partial sums are fixed by the shapes, not the thread split: the same bits on 1, 2 and 3 threads. */
    @org.junit.jupiter.api.Test
    void bitsDoNotDependOnThreads() {
        TensorType q = TensorType.of(ScalarType.F32, 1, 128, 4 * 32);
        TensorType o = q;
        String lir = "func.func @f(%q: " + q.text() + ", %k: " + q.text() + ", %v: " + q.text() + ") -> " + o.text() + " {\n"
                + "  %0 = \"nn.attention\"(%q, %k, %v) {heads = 4 : i64, k_transposed = false, scale = 0.17677669 : f32} : ("
                + q.text() + ", " + q.text() + ", " + q.text() + ") -> " + o.text() + "\n"
                + "  func.return %0 : " + o.text() + "\n}\n";
        var inputs = List.of(NativeCheck.random(q, -1, 1, 7), NativeCheck.random(q, -1, 1, 8), NativeCheck.random(q, -1, 1, 9));
        DenseElementsAttr one = NativeCheck.runKernel(lir, inputs, 1).get(0);
        for (int threads : new int[] {2, 3}) {
            NativeCheck.compare(threads + " threads", one, NativeCheck.runKernel(lir, inputs, threads).get(0), 0, 0);
        }
    }

    @ParameterizedTest(name = "heads, sk={0} dv={1}")
    @CsvSource({"37, 83", "128, 32"})
    void headsMatchInterpreter(int sk, int dv) {
        int heads = 3;
        int sq = 6;
        int d = 16;
        TensorType q = TensorType.of(ScalarType.F32, 1, sq, heads * d);
        TensorType k = TensorType.of(ScalarType.F32, 1, sk, heads * d);
        TensorType v = TensorType.of(ScalarType.F32, 1, sk, heads * dv);
        TensorType o = TensorType.of(ScalarType.F32, 1, sq, heads * dv);
        String lir = "func.func @f(%q: " + q.text() + ", %k: " + k.text() + ", %v: " + v.text() + ") -> " + o.text() + " {\n"
                + "  %0 = \"nn.attention\"(%q, %k, %v) {heads = " + heads + " : i64, k_transposed = false, scale = 0.25 : f32} : ("
                + q.text() + ", " + k.text() + ", " + v.text() + ") -> " + o.text() + "\n"
                + "  func.return %0 : " + o.text() + "\n}\n";
        NativeCheck.checkKernel(lir, List.of(NativeCheck.random(q, -1, 1, 4), NativeCheck.random(k, -1, 1, 5),
                NativeCheck.random(v, -1, 1, 6)), 1e-5, 1e-6);
    }
    /**
     * Rows whose max skips a NaN score: NaN among -inf (in the vector part and in the scalar
     * tail), NaN among finite scores, +inf, all -inf, and ordinary rows, in one block of 8 rows.
     * The reference gives NaN rows for NaN or +inf and zeros for all -inf; NaN compares equal to
     * NaN here, the rest within rtol 1e-5 / atol 1e-6 as above.
     */
    @org.junit.jupiter.api.Test
    void nanAndInfinityRowsMatchInterpreter() {
        int sq = 8;
        int sk = 37;
        double[] mv = new double[sq * sk];
        for (int j = 0; j < sk; j++) {
            mv[j] = Double.NEGATIVE_INFINITY;
            mv[sk + j] = Double.NEGATIVE_INFINITY;
            mv[4 * sk + j] = Double.NEGATIVE_INFINITY;
            mv[6 * sk + j] = j % 3 == 0 ? Double.NEGATIVE_INFINITY : 0.25;
        }
        mv[5] = Double.NaN; // row 0: NaN among -inf, vector part
        mv[sk + 34] = Double.NaN; // row 1: NaN among -inf, scalar tail
        mv[2 * sk + 7] = Double.POSITIVE_INFINITY; // row 2: +inf
        mv[3 * sk + 20] = Double.NaN; // row 3: NaN among finite scores
        checkMasked(2, sq, sk, 16, 0.3, mv, 11);
    }

    /**
     * Scores spread far below the row's max, so {@code s - max} crosses the subnormal-exp bound
     * (-87.33, where the kernel flushes p to 0) in the vector part and in the scalar tail (Sk = 77),
     * with -inf keys in between: the flushed p are below {@code FLT_MIN} next to p = 1, so the
     * outputs stay within rtol 1e-5 / atol 1e-6 of the reference, as above.
     */
    @org.junit.jupiter.api.Test
    void scoresFarBelowTheMaxMatchInterpreter() {
        int sq = 8;
        int sk = 77;
        double[] mv = new double[sq * sk];
        for (int i = 0; i < sq; i++) {
            for (int j = 0; j < sk; j++) {
                int from = i % 2 == 0 ? j : sk - 1 - j; // odd rows cross in the scalar tail
                mv[i * sk + j] = j % 11 == 5 ? Double.NEGATIVE_INFINITY : -from * (0.9 + 0.3 * i);
            }
        }
        checkMasked(1, sq, sk, 32, 0.5, mv, 14);
    }

    /**
     * {@code nn.attention} of {@code heads} heads (depth 8, {@code dv} value columns) with the
     * additive mask {@code mask} ({@code [1, 1, sq, sk]}, shared by the heads), natively against
     * the interpreter at rtol 1e-5 / atol 1e-6; q, k and v random from seeds {@code seed..seed+2}.
     */
    private static void checkMasked(int heads, int sq, int sk, int dv, double scale, double[] mask, int seed) {
        TensorType q = TensorType.of(ScalarType.F32, 1, heads, sq, 8);
        TensorType k = TensorType.of(ScalarType.F32, 1, heads, sk, 8);
        TensorType v = TensorType.of(ScalarType.F32, 1, heads, sk, dv);
        TensorType m = TensorType.of(ScalarType.F32, 1, 1, sq, sk);
        TensorType o = TensorType.of(ScalarType.F32, 1, heads, sq, dv);
        String lir = "func.func @f(%q: " + q.text() + ", %k: " + k.text() + ", %v: " + v.text() + ", %m: " + m.text()
                + ") -> " + o.text() + " {\n"
                + "  %0 = \"nn.attention\"(%q, %k, %v, %m) {k_transposed = false, scale = " + scale + " : f32} : ("
                + q.text() + ", " + k.text() + ", " + v.text() + ", " + m.text() + ") -> " + o.text() + "\n"
                + "  func.return %0 : " + o.text() + "\n}\n";
        NativeCheck.checkKernel(lir, List.of(NativeCheck.random(q, -1, 1, seed), NativeCheck.random(k, -1, 1, seed + 1),
                NativeCheck.random(v, -1, 1, seed + 2), DenseElementsAttr.fromDoubles(m, mask)), 1e-5, 1e-6);
    }
}
