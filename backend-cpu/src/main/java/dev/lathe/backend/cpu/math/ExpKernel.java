package dev.lathe.backend.cpu.math;

import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * {@code exp(x)} for f32: {@code x = k ln2 + r} with {@code |r| <= ln2/2} (Cody–Waite: ln2 split
 * in two so {@code k * LN2_HI} is exact), {@code e^r ~ 1 + r + r^2 Q(r)} with Q of degree 4, then
 * {@code e^r * 2^k} built from exponent bits.
 *
 * <p>Edges without branches: x is first clamped to [-104, 89], where k fits in [-150, 128]. The
 * scale is applied as two factors {@code 2^(k/2)} and {@code 2^(k - k/2)}, each a normal float, so
 * results past the f32 range round once to +Inf ({@code x > 88.72}), into the denormals
 * ({@code x < -87.34}) or to 0 ({@code x < -103.97}). NaN passes through the clamp (ordered
 * compares are false) and every operation after it, and no float-to-int conversion is used that
 * could turn it into poison.
 */
final class ExpKernel {

  private static final float CLAMP_HI = 89f;
  private static final float CLAMP_LO = -104f;
  private static final float LOG2E = 1.442695f;
  // 1.5 * 2^23: adding it rounds x*log2e to an integer, held in the low mantissa bits.
  private static final float SHIFTER = 12582912f;
  // ln2 = LN2_HI + LN2_LO; LN2_HI has 9 significant bits so k * LN2_HI is exact for |k| <= 2^15.
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.1219444e-4f;
  /** Q(r) ~ (e^r - 1 - r) / r^2 on [-ln2/2, ln2/2], fitted for the relative error of e^r. */
  private static final float[] Q = {
    0.49999994f, 0.16666521f, 0.04166839f, 0.00836871f, 0.0013814613f
  };

  private ExpKernel() {}

  static LLVMValueRef emit(MathBuilder b, LLVMValueRef x) {
    LLVMValueRef clamped = b.select(b.gt(x, b.f(CLAMP_HI)), b.f(CLAMP_HI), x);
    clamped = b.select(b.lt(clamped, b.f(CLAMP_LO)), b.f(CLAMP_LO), clamped);

    LLVMValueRef shifted = b.mulAdd(clamped, b.f(LOG2E), b.f(SHIFTER));
    LLVMValueRef kFloat = b.sub(shifted, b.f(SHIFTER));
    LLVMValueRef k = b.isub(b.bits(shifted), b.bits(b.f(SHIFTER)));

    // r = rHigh + c. rHigh is exact; r is rounded, so it is only used inside the small r^2 Q(r)
    // term, and the sum is formed as rHigh + (c + r^2 Q(r)) with a single rounding that counts.
    LLVMValueRef rHigh = b.mulAdd(kFloat, b.f(-LN2_HI), clamped);
    LLVMValueRef c = b.mul(kFloat, b.f(-LN2_LO));
    LLVMValueRef r = b.add(rHigh, c);
    LLVMValueRef tail = b.mulAdd(b.mul(r, r), b.polynomial(r, Q), c);
    LLVMValueRef expR = b.add(b.add(rHigh, tail), b.f(1f));

    LLVMValueRef kHalf = b.ashr(k, 1);
    LLVMValueRef scale1 = powerOfTwo(b, kHalf);
    LLVMValueRef scale2 = powerOfTwo(b, b.isub(k, kHalf));
    return b.mul(b.mul(expR, scale1), scale2);
  }

  /** 2^n for n in [-126, 127], from the biased exponent field. */
  private static LLVMValueRef powerOfTwo(MathBuilder b, LLVMValueRef n) {
    return b.fromBits(b.shl(b.iadd(n, b.i(127)), 23));
  }
}
