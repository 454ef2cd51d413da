package dev.lathe.backend.cpu.math;

/**
 * erf in double precision, as the reference StrictMath lacks: {@code erf(x) = 2/sqrt(pi) e^(-x^2)
 * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))}. All terms are positive, so there is no cancellation
 * and the relative error stays near 1e-14 (for |x| <= 6; beyond, erf is 1 to double precision).
 */
final class ErfReference {

  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

  private ErfReference() {}

  static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    if (a > 6) {
      return Math.copySign(1.0, x);
    }
    double twoXSquared = 2 * a * a;
    double term = a;
    double sum = a;
    for (int n = 1; term > sum * 1e-18; n++) {
      term *= twoXSquared / (2 * n + 1);
      sum += term;
    }
    return Math.copySign(TWO_OVER_SQRT_PI * StrictMath.exp(-a * a) * sum, x);
  }
}
