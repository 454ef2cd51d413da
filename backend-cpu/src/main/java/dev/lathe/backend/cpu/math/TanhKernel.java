package dev.lathe.backend.cpu.math;

import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * {@code tanh(x)} for f32 on {@code a = |x|}, sign restored at the end with copysign (so
 * tanh(-0) = -0):
 *
 * <ul>
 *   <li>{@code a < 1}: odd polynomial {@code a + a^3 P(a^2)}, P of degree 6. The
 *       {@code (1-t)/(1+t)} form would cancel here and lose the relative accuracy near 0.
 *   <li>otherwise: {@code t = exp(-2a)} (the inline {@link ExpKernel}), {@code 1 - 2t/(1+t)}:
 *       the rounding errors of the quotient shrink with it, so only the final subtraction's
 *       rounding is left at large a (the equal {@code (1-t)/(1+t)} rounds three times at full
 *       size). t underflows to 0 for large a, which saturates the result to exactly 1.
 * </ul>
 *
 * NaN takes the second path and stays NaN.
 */
final class TanhKernel {

  // Below 1 the quotient 2t/(1+t) is large enough that its rounding would cost up to 1.5 ulp.
  private static final float POLYNOMIAL_LIMIT = 1f;
  /** P(w) ~ (tanh(a) - a) / a^3 for w = a^2 in [0, 1], fitted for the relative error of tanh. */
  private static final float[] P = {
    -0.33333296f, 0.13332345f, -0.0538798f, 0.021486657f, -0.007946105f, 0.0023013635f,
    -0.00035845168f
  };

  private TanhKernel() {}

  static LLVMValueRef emit(MathBuilder b, LLVMValueRef x) {
    LLVMValueRef a = b.abs(x);
    LLVMValueRef w = b.mul(a, a);
    LLVMValueRef near0 = b.mulAdd(b.mul(a, w), b.polynomial(w, P), a);

    LLVMValueRef t = ExpKernel.emit(b, b.mul(a, b.f(-2f)));
    LLVMValueRef far = b.sub(b.f(1f), b.div(b.add(t, t), b.add(b.f(1f), t)));

    LLVMValueRef result = b.select(b.lt(a, b.f(POLYNOMIAL_LIMIT)), near0, far);
    return b.copySign(result, x);
  }
}
