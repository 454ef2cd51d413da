package dev.lathe.ir.dialect.nn;

/**
 * The error function in double, which {@link Math} lacks. Below |x| = 3 the series
 * {@code erf(x) = 2/sqrt(pi) * exp(-x^2) * sum 2^n x^(2n+1) / (1*3*...*(2n+1))} (all terms positive,
 * so nothing cancels); from 3 on {@code 1 - erfc(x)} with erfc from its continued fraction
 * (modified Lentz). Both are accurate to a few ulps of double, far below f32 rounding.
 */
final class Erf {

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private Erf() {}

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r = a < 3 ? series(a) : 1 - erfc(a);
        return x < 0 || (x == 0 && 1 / x < 0) ? -r : r;
    }

    private static double series(double x) {
        double term = x;
        double sum = x;
        double x2 = x * x;
        for (int n = 1; n < 200 && term > sum * 1e-17; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** erfc(x) for x >= 3: exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
    private static double erfc(double x) {
        if (x > 27) {
            return 0; // exp(-x^2) underflows
        }
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int k = 1; k < 500; k++) {
            double ak = k / 2.0;
            d = x + ak * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + ak / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
