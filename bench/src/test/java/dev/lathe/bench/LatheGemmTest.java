package dev.lathe.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The gemm module compiles and computes a b (against a plain triple loop in double); small, so it takes about a second. */
class LatheGemmTest {

    @Test
    void computesTheProduct() {
        int m = 5;
        int n = 7;
        int k = 3;
        Random r = new Random(3);
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (r.nextDouble() * 2 - 1);
        }
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    c[i * n + j] += a[i * k + p] * b[p * n + j];
                }
            }
        }
        DenseElementsAttr bAttr = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, k, n), b);
        try (LatheEngine lathe = new LatheEngine(LatheGemm.module(m, n, k, bAttr),
                Map.of("a", DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, m, k), a)), 1)) {
            // f32 sums of 3 products in [-1, 1]: a few ulps of 1.
            Agreement.Result result = new Agreement(1e-6, 0).compare(
                    Map.of("c", DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, m, n), c)), lathe.outputs());
            assertTrue(result.agrees(), result.problems().toString());
        }
    }
}
