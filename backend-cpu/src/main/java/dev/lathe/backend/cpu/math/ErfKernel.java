package dev.lathe.backend.cpu.math;

import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * {@code erf(x)} for f32 on {@code a = |x|}, sign restored at the end with copysign:
 *
 * <ul>
 *   <li>{@code a < 1}: {@code a + a P(a^2)}, P of degree 6 fitted for relative error, so
 *       {@code erf(x) ~ 2x/sqrt(pi)} keeps full relative accuracy down to the denormals. Adding
 *       the exact {@code a} last (not {@code a * 1.128...}) keeps the rounding of the leading
 *       coefficient and of the polynomial out of most of the result.
 *   <li>{@code 1 <= a <= 3.9192}: {@code 1 - exp(-a^2 + L(a - 2.4596))}, where L (degree 6) fits
 *       {@code log(erfc(a) e^(a^2))}, a smooth function, weighted by erfc so the absolute error
 *       of erf is what is minimized. {@code -a^2} enters through a multiply-add.
 *   <li>{@code a > 3.9192}: exactly 1, where erfc(a) < 2^-25 and f32 erf rounds to 1 anyway.
 * </ul>
 *
 * NaN fails every ordered compare, takes the second path and stays NaN.
 */
final class ErfKernel {

  private static final float POLYNOMIAL_LIMIT = 1f;
  private static final float SATURATION = 3.9192059f;
  private static final float CENTER = 2.4596028f;
  /** P(w) ~ erf(a)/a - 1 for w = a^2 in [0, 1]. */
  private static final float[] P = {
    0.12837917f, -0.37612626f, 0.112835854f, -0.026853811f, 0.0051883277f, -0.00080101937f,
    7.853861e-05f
  };
  /** L(u) ~ log(erfc(a)) + a^2 for u = a - CENTER, a in [1, SATURATION]. */
  private static final float[] L = {
    -1.5424777f, -0.35728085f, 0.057437703f, -0.011117704f, 0.0024938437f, -0.00020097653f,
    0.00018557413f
  };

  private ErfKernel() {}

  static LLVMValueRef emit(MathBuilder b, LLVMValueRef x) {
    LLVMValueRef a = b.abs(x);
    LLVMValueRef near0 = b.mulAdd(a, b.polynomial(b.mul(a, a), P), a);

    // Keep L inside its fitted range; larger a are replaced by 1 below (NaN passes).
    LLVMValueRef clamped = b.select(b.gt(a, b.f(SATURATION)), b.f(SATURATION), a);
    LLVMValueRef logErfc =
        b.mulAdd(b.neg(clamped), clamped, b.polynomial(b.sub(clamped, b.f(CENTER)), L));
    LLVMValueRef tail = b.sub(b.f(1f), ExpKernel.emit(b, logErfc));

    LLVMValueRef result = b.select(b.lt(a, b.f(POLYNOMIAL_LIMIT)), near0, tail);
    result = b.select(b.gt(a, b.f(SATURATION)), b.f(1f), result);
    return b.copySign(result, x);
  }
}
