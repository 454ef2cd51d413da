package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The f32 exact GELU ({@code ElementwiseMath.normalCdfF32}: an odd polynomial for |x| &lt; sqrt 2,
 * {@code exp(-x^2/2 + L(|x|))} beyond, no division). The kernel is within 5e-7 relative of the
 * exact GELU (plus the f32 exp's ulp), so the tolerance is rtol 1e-6 everywhere the check's
 * oracle is itself that good:
 * <ul>
 *   <li>against the interpreter on [-5.5, 14] (where the reference's f64 {@code 1 + erf} still
 *       has more than 1e-8 relative accuracy), densely, with both piece boundaries (sqrt 2 and
 *       12.5) approached from either side and a row length (1001) that leaves a vector tail;
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

    private static String gelu(TensorType t) {
        return "func.func @f(%x: " + t.text() + ") -> " + t.text() + " {\n  %0 = \"nn.gelu\"(%x) : (" + t.text()
                + ") -> " + t.text() + "\n  func.return %0 : " + t.text() + "\n}\n";
    }
}
