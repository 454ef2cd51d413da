package dev.lathe.backend.cpu.math;

import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * {@code log(x)} for f32: {@code x = 2^e * m} with {@code m} in [sqrt(1/2), sqrt(2)), found with
 * integer operations on the bits, then {@code log(m) = log(1+f)} through {@code s = f/(2+f)}:
 * {@code log(1+f) = f - f^2/2 + s (f^2/2 + R(s^2))}, where R is a degree-3 fit of
 * {@code 2 atanh(s)/s - 2}. Keeping {@code f} as the leading, exact term is what holds the error
 * near x = 1 under an ulp. {@code e ln2} is added in two parts (Cody–Waite).
 *
 * <p>Denormal inputs are scaled by 2^23 first so the exponent field is meaningful. Specials are
 * selected at the end: log(±0) = -Inf, {@code log(x < 0)} = NaN, log(+Inf) = +Inf,
 * log(NaN) = NaN.
 */
final class LogKernel {

  private static final float MIN_NORMAL = 0x1p-126f;
  private static final float TWO_23 = 0x1p23f;
  // sqrt(1/2) rounded to f32: subtracting its bits moves the exponent step to m = sqrt(1/2).
  private static final int SQRT_HALF_BITS = 0x3f3504f3;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.1219444e-4f;
  /** R(z) = z (c1 + c2 z + c3 z^2) ~ 2 atanh(s)/s - 2 for z = s^2 in [0, 0.0295]. */
  private static final float[] R = {0.66666687f, 0.39988765f, 0.29580513f};

  private LogKernel() {}

  static LLVMValueRef emit(MathBuilder b, LLVMValueRef x) {
    LLVMValueRef denormal = b.lt(x, b.f(MIN_NORMAL));
    LLVMValueRef scaled = b.select(denormal, b.mul(x, b.f(TWO_23)), x);
    LLVMValueRef exponentBias = b.select(denormal, b.i(-23), b.i(0));

    LLVMValueRef offset = b.isub(b.bits(scaled), b.i(SQRT_HALF_BITS));
    LLVMValueRef e = b.iadd(b.ashr(offset, 23), exponentBias);
    LLVMValueRef m = b.fromBits(b.iadd(b.and(offset, b.i(0x007fffff)), b.i(SQRT_HALF_BITS)));

    LLVMValueRef f = b.sub(m, b.f(1f));
    LLVMValueRef s = b.div(f, b.add(f, b.f(2f)));
    LLVMValueRef z = b.mul(s, s);
    LLVMValueRef r = b.mul(z, b.polynomial(z, R));
    LLVMValueRef halfFSquared = b.mul(b.mul(f, f), b.f(0.5f));

    LLVMValueRef eFloat = b.toFloat(e);
    LLVMValueRef low = b.mulAdd(s, b.add(halfFSquared, r), b.mul(eFloat, b.f(LN2_LO)));
    LLVMValueRef log1p = b.sub(f, b.sub(halfFSquared, low));
    LLVMValueRef result = b.mulAdd(eFloat, b.f(LN2_HI), log1p);

    result = b.select(b.eq(x, b.f(0f)), b.f(Float.NEGATIVE_INFINITY), result);
    result = b.select(b.lt(x, b.f(0f)), b.f(Float.NaN), result);
    return b.select(b.notLt(x, b.f(Float.POSITIVE_INFINITY)), x, result);
  }
}
