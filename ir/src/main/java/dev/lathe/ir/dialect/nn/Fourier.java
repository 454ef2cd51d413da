package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.TensorType;

/** The discrete Fourier transform of {@link DftOp} and {@link StftOp}: direct summation in double. */
final class Fourier {

    private Fourier() {}

    /**
     * The first {@code outCount} coefficients of the DFT of {@code re + i·im} (length n):
     * {@code X[k] = Σ x[j]·e^(∓2πi·jk/n)}, the inverse with {@code +} and divided by n. Returns
     * {@code {re, im}}. Angles use {@code jk mod n}, so large n keeps its accuracy.
     */
    static double[][] transform(double[] re, double[] im, boolean inverse, int outCount) {
        int n = re.length;
        double[][] out = new double[2][outCount];
        double sign = inverse ? 1 : -1;
        for (int k = 0; k < outCount; k++) {
            double sr = -0.0;
            double si = -0.0;
            for (int j = 0; j < n; j++) {
                double angle = sign * 2 * Math.PI * ((long) j * k % n) / n;
                double c = Math.cos(angle);
                double s = Math.sin(angle);
                sr += re[j] * c - im[j] * s;
                si += re[j] * s + im[j] * c;
            }
            out[0][k] = inverse ? sr / n : sr;
            out[1][k] = inverse ? si / n : si;
        }
        return out;
    }

    /** The number of coefficients kept: {@code n/2 + 1} when one-sided, else {@code n}; {@code ?} stays {@code ?}. */
    static long bins(long n, boolean onesided) {
        return n == TensorType.DYNAMIC ? n : onesided ? n / 2 + 1 : n;
    }

    /** The last dim of a signal: 1 (real) or 2 (complex), or an error. */
    static void requireComplexDim(TensorType x, String what) {
        long last = x.rank() == 0 ? 0 : x.dim(x.rank() - 1);
        if (x.rank() < 2 || !(last == 1 || last == 2 || last == TensorType.DYNAMIC)) {
            throw new InvalidOpException("expects " + what + " whose last dim is 1 (real) or 2 (complex), found "
                    + x.text());
        }
    }
}
