package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The f32 exact GELU ({@code ElementwiseMath.normalCdfF32}: {@code Phi(-|x|) = exp(-x^2/2 + L(|x|))}
 * for |x| &lt;= 12.5, no division). The kernel is within 4.6e-7 relative of the exact GELU
 * ({@link #denseSweepStaysWithinTheStatedBound}), so the tolerance is rtol 1e-6 everywhere the
 * check's oracle is itself that good:
 * <ul>
 *   <li>against the interpreter on [-5.5, 14] (where the reference's f64 {@code 1 + erf} still
 *       has more than 1e-8 relative accuracy), densely, with the tail's end (12.5) and the former
 *       piece boundary (sqrt 2) approached from either side and a row length (1001) that leaves a
 *       vector tail;
 *   <li>in the lower tail, where the reference cancels to 0, against values computed with 40-digit
 *       arithmetic (mpmath {@code x * ncdf(x)}), down to x = -12.25 (GELU about -1e-33).
 * </ul>
 */
class GeluKernelTest {

    @Test
    void sweepMatchesInterpreter() {
        int n = 1001;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = -5.5 + 19.5 * i / (n - 1);
        }
        float root2 = 1.4142135f;
        double[] edges = {root2, Math.nextDown(root2), Math.nextUp(root2), -root2, -Math.nextDown(root2),
            -Math.nextUp(root2), 12.5f, Math.nextDown(12.5f), Math.nextUp(12.5f), 0.0, -0.0, 1e-30, -1e-30};
        System.arraycopy(edges, 0, v, 0, edges.length);
        TensorType t = TensorType.of(ScalarType.F32, n);
        NativeCheck.checkKernel(gelu(t), List.of(DenseElementsAttr.fromDoubles(t, v)), 1e-6, 0);
    }

    @Test
    void lowerTailKeepsRelativeAccuracy() {
        double[][] exact = {
            {-5.75, -2.5657491609934268e-8}, {-6.5, -2.6104003795084266e-10}, {-7.25, -1.5107971650372503e-12},
            {-8.0, -4.9767684594174273e-15}, {-8.5, -8.0576045988728206e-17}, {-9.0, -1.0157295653584566e-18},
            {-9.75, -8.9928281868159327e-22}, {-10.5, -4.5349566336996919e-25}, {-11.0, -2.1017255319485433e-27},
            {-11.25, -1.302705358389722e-28}, {-12.0, -2.1317785344932148e-32}, {-12.25, -1.0289750177950937e-33},
        };
        TensorType t = TensorType.of(ScalarType.F32, exact.length);
        double[] x = new double[exact.length];
        double[] want = new double[exact.length];
        for (int i = 0; i < exact.length; i++) {
            x[i] = exact[i][0];
            want[i] = exact[i][1];
        }
        List<DenseElementsAttr> got = NativeCheck.runKernel(gelu(t), List.of(DenseElementsAttr.fromDoubles(t, x)));
        // want in f64, got in f32: the comparison allows for the f32 rounding of the result (6e-8).
        TensorType wide = TensorType.of(ScalarType.F64, exact.length);
        double[] gotValues = new double[exact.length];
        for (int i = 0; i < exact.length; i++) {
            gotValues[i] = got.get(0).getDouble(i);
        }
        NativeCheck.compare("gelu lower tail", DenseElementsAttr.fromDoubles(wide, want),
                DenseElementsAttr.fromDoubles(wide, gotValues), 1e-6, 0);
    }

    /**
     * The stated bound of {@code normalCdfF32}, checked on the native kernel: 2^21 values spread
     * uniformly over [-13, 13] and 2^21 with magnitudes log-uniform in [1e-6, 13], both signs, against
     * {@link #exactGelu} (double, within 4e-14 relative of 40-digit mpmath): within 4.6e-7 relative
     * wherever |GELU| &gt; 1e-30, within 5.1e-35 absolute below that.
     */
    @Test
    void denseSweepStaysWithinTheStatedBound() {
        int n = 1 << 22;
        double[] x = new double[n];
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < n / 2; i++) {
            x[i] = (float) (-13 + 26.0 * i / (n / 2 - 1));
            double m = Math.exp(Math.log(1e-6) + random.nextDouble() * Math.log(13 / 1e-6));
            x[n / 2 + i] = (float) (random.nextBoolean() ? m : -m);
        }
        TensorType t = TensorType.of(ScalarType.F32, n);
        DenseElementsAttr got = NativeCheck.runKernel(gelu(t), List.of(DenseElementsAttr.fromDoubles(t, x))).get(0);
        double worstRelative = 0;
        double worstAbsolute = 0;
        for (int i = 0; i < n; i++) {
            double want = exactGelu(x[i]);
            double error = Math.abs(got.getDouble(i) - want);
            if (Math.abs(want) > 1e-30) {
                worstRelative = Math.max(worstRelative, error / Math.abs(want));
            } else {
                worstAbsolute = Math.max(worstAbsolute, error);
            }
        }
        System.out.println("gelu sweep: worst relative " + worstRelative + ", worst absolute " + worstAbsolute);
        org.junit.jupiter.api.Assertions.assertTrue(worstRelative <= 4.6e-7, "worst relative error " + worstRelative);
        org.junit.jupiter.api.Assertions.assertTrue(worstAbsolute <= 5.1e-35, "worst absolute error " + worstAbsolute);
    }

    @Test
    void exactGeluMatchesMpmath() {
        for (double[] p : new double[][] {{-5.75, -2.5657491609934268e-8}, {-8.0, -4.9767684594174273e-15},
                {-12.25, -1.0289750177950937e-33}, {-1.0, -0.15865525393145705}, {2.0, 1.9544997361036416}}) {
            org.junit.jupiter.api.Assertions.assertEquals(p[1], exactGelu(p[0]), 1e-13 * Math.abs(p[1]));
        }
    }

    /** {@code x Phi(x)} in double: {@code Phi(-a)} from its series below 2.5, the Laplace continued fraction above. */
    static double exactGelu(double x) {
        double a = Math.abs(x);
        double q;
        if (a < 2.5) {
            // Phi(a) - 1/2 = phi(a) (a + a^3/3 + a^5/(3*5) + ...), positive terms.
            double term = a;
            double sum = a;
            for (int k = 1; term > 1e-17 * sum; k++) {
                term *= a * a / (2 * k + 1);
                sum += term;
            }
            q = 0.5 - Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI) * sum;
        } else {
            // Phi(-a) = phi(a) / (a + 1/(a + 2/(a + 3/(a + ...)))), evaluated from the 300th term back.
            double f = a;
            for (int k = 300; k >= 1; k--) {
                f = a + k / f;
            }
            q = Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI) / f;
        }
        return x < 0 ? x * q : x * (1 - q);
    }

    private static String gelu(TensorType t) {
        return "func.func @f(%x: " + t.text() + ") -> " + t.text() + " {\n  %0 = \"nn.gelu\"(%x) : (" + t.text()
                + ") -> " + t.text() + "\n  func.return %0 : " + t.text() + "\n}\n";
    }
}
