package dev.lathe.backend.cpu.math;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/** Test inputs over f32 ranges, and the error of results against a double-precision reference. */
final class Sweep {

  /** Values every test includes, whatever the function's domain. */
  static final float[] SPECIALS = {
    0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
    -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, 0x1p-127f, -0x1p-140f, Float.MAX_VALUE,
    -Float.MAX_VALUE, 1f, -1f, 0.5f, 2f
  };

  private Sweep() {}

  /** {@code count} evenly spaced points from {@code lo} to {@code hi}. */
  static float[] dense(float lo, float hi, int count) {
    float[] values = new float[count];
    for (int k = 0; k < count; k++) {
      values[k] = (float) (lo + (hi - (double) lo) * k / (count - 1));
    }
    return values;
  }

  /** Floats given by their bit patterns (known worst cases). */
  static float[] bits(int... patterns) {
    float[] values = new float[patterns.length];
    for (int k = 0; k < patterns.length; k++) {
      values[k] = Float.intBitsToFloat(patterns[k]);
    }
    return values;
  }

  /** The {@code count} floats below {@code center}, it, and the {@code count} above. */
  static float[] around(float center, int count) {
    float[] values = new float[2 * count + 1];
    float below = center;
    float above = center;
    values[count] = center;
    for (int k = 1; k <= count; k++) {
      below = Math.nextDown(below);
      above = Math.nextUp(above);
      values[count - k] = below;
      values[count + k] = above;
    }
    return values;
  }

  /** Every {@code stride}-th bit pattern of the 2^32: all magnitudes, signs, denormals and NaNs. */
  static float[] allBitPatterns(int stride) {
    float[] values = new float[(int) ((1L << 32) / stride) + 1];
    int n = 0;
    for (long bits = 0; bits < 1L << 32; bits += stride) {
      values[n++] = Float.intBitsToFloat((int) bits);
    }
    return Arrays.copyOf(values, n);
  }

  /** The inputs concatenated with {@link #SPECIALS}, padded with 1f to a multiple of 16. */
  static float[] of(float[]... parts) {
    int length = SPECIALS.length;
    for (float[] part : parts) {
      length += part.length;
    }
    float[] values = new float[(length + 15) / 16 * 16];
    Arrays.fill(values, 1f);
    int n = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, values, n, part.length);
      n += part.length;
    }
    System.arraycopy(SPECIALS, 0, values, n, SPECIALS.length);
    return values;
  }

  /** The worst point of a comparison. */
  record Worst(double error, float input, float got, double want) {
    @Override
    public String toString() {
      return String.format("%.3g at x = %s (0x%08x): got %s, want %s", error, input,
          Float.floatToRawIntBits(input), got, want);
    }
  }

  /**
   * Maximum error in units of the f32 spacing at the exact value (a correctly rounded result is
   * within 0.5). A NaN, infinite or overflowing reference must be matched exactly, else the error
   * is infinite.
   */
  static Worst maxUlpError(float[] inputs, float[] got, DoubleUnaryOperator reference) {
    return maxError(inputs, got, reference, true);
  }

  /** Maximum absolute error; specials as in {@link #maxUlpError}. */
  static Worst maxAbsError(float[] inputs, float[] got, DoubleUnaryOperator reference) {
    return maxError(inputs, got, reference, false);
  }

  private static Worst maxError(
      float[] inputs, float[] got, DoubleUnaryOperator reference, boolean inUlps) {
    Worst worst = new Worst(0, Float.NaN, Float.NaN, Double.NaN);
    for (int k = 0; k < inputs.length; k++) {
      double want = reference.applyAsDouble(inputs[k]);
      double error = error(got[k], want, inUlps);
      if (error > worst.error() || Double.isNaN(error)) {
        worst = new Worst(error, inputs[k], got[k], want);
      }
    }
    return worst;
  }

  private static double error(float got, double want, boolean inUlps) {
    float rounded = (float) want;
    if (Double.isNaN(want) || Float.isInfinite(rounded)) {
      return Float.floatToIntBits(got) == Float.floatToIntBits(rounded)
          ? 0
          : Double.POSITIVE_INFINITY;
    }
    if (!Float.isFinite(got)) {
      return Double.POSITIVE_INFINITY;
    }
    double difference = Math.abs(got - want);
    return inUlps ? difference / spacingAt(want) : difference;
  }

  /** The gap between the two f32 values around {@code |value|}. */
  private static double spacingAt(double value) {
    float magnitude = (float) Math.abs(value);
    return magnitude > Math.abs(value)
        ? magnitude - Math.nextDown(magnitude)
        : Math.nextUp(magnitude) - magnitude;
  }
}
