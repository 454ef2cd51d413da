package dev.lathe.ir.dialect.nn;

import java.util.Arrays;

/**
 * The per-axis arithmetic of {@code nn.resize}: the coordinate transformation from a result
 * index to a (fractional) input coordinate, and the taps (input indices and weights) of the
 * nearest, linear and cubic modes. The n-D resize is these 1-D resizes applied axis by axis,
 * last axis first, as ONNX's reference implementation nests them.
 */
final class ResizeKernel {

    private ResizeKernel() {}

    /** The settings of one resize, read once from the attributes. */
    record Settings(String mode, String transform, String nearestMode, double cubicA, boolean excludeOutside,
            double extrapolation) {}

    /**
     * The input coordinate of result index {@code x} along an axis of {@code in} elements. The
     * resized length is {@code in * scale}, fractional when scales were given (as in ONNX's
     * reference: {@code align_corners} downsampling by 0.6 divides by {@code 2.4 - 1}, not {@code 2 - 1}).
     */
    static double source(Settings s, double x, long in, double out, double scale, double roiStart, double roiEnd) {
        return switch (s.transform()) {
            case "half_pixel" -> (x + 0.5) / scale - 0.5;
            case "pytorch_half_pixel" -> out > 1 ? (x + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> out == 1 ? 0 : x * (in - 1) / (out - 1);
            case "asymmetric" -> x / scale;
            case "tf_half_pixel_for_nn" -> (x + 0.5) / scale;
            case "tf_crop_and_resize" -> out > 1
                    ? roiStart * (in - 1) + x * (roiEnd - roiStart) * (in - 1) / (out - 1)
                    : 0.5 * (roiStart + roiEnd) * (in - 1);
            case "half_pixel_symmetric" -> {
                double adjustment = out / (scale * in);
                double offset = in / 2.0 * (1 - adjustment);
                yield offset + (x + 0.5) / scale - 0.5;
            }
            default -> throw new IllegalStateException(s.transform());
        };
    }

    /** The index that nearest mode picks for coordinate {@code c}, before clamping. */
    static long nearest(String mode, double c) {
        double floor = Math.floor(c);
        return switch (mode) {
            case "round_prefer_floor" -> c - floor == 0.5 ? (long) floor : (long) Math.floor(c + 0.5);
            case "round_prefer_ceil" -> (long) Math.floor(c + 0.5);
            case "floor" -> (long) floor;
            case "ceil" -> (long) Math.ceil(c);
            default -> throw new IllegalStateException(mode);
        };
    }

    /** Cubic convolution weights of the four neighbours {@code floor-1 .. floor+2} at fraction {@code r}. */
    static double[] cubic(double r, double a) {
        double[] w = new double[4];
        double[] d = {1 + r, r, 1 - r, 2 - r};
        for (int i = 0; i < 4; i++) {
            double t = d[i];
            w[i] = t <= 1 ? ((a + 2) * t - (a + 3)) * t * t + 1 : ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
        }
        return w;
    }

    /**
     * Resizes {@code data} (row-major, {@code shape}) along {@code axis} to {@code out} elements;
     * returns the new data ({@code shape[axis]} is updated by the caller).
     */
    static double[] alongAxis(double[] data, long[] shape, int axis, long out, double scale, double roiStart,
            double roiEnd, Settings s) {
        long in = shape[axis];
        int outer = IndexMath.count(Arrays.copyOfRange(shape, 0, axis));
        int inner = IndexMath.count(Arrays.copyOfRange(shape, axis + 1, shape.length));
        int[][] index = new int[(int) out][];
        double[][] weight = new double[(int) out][];
        for (int x = 0; x < out; x++) {
            double c = source(s, x, in, in * scale, scale, roiStart, roiEnd);
            if (s.transform().equals("tf_crop_and_resize") && (c < 0 || c > in - 1)) {
                continue; // index[x] null: the extrapolation value
            }
            taps(s, c, in, x, index, weight);
        }
        double[] result = new double[outer * (int) out * inner];
        for (int o = 0; o < outer; o++) {
            for (int x = 0; x < out; x++) {
                for (int i = 0; i < inner; i++) {
                    double v;
                    if (index[x] == null) {
                        v = s.extrapolation();
                    } else {
                        v = 0;
                        for (int t = 0; t < index[x].length; t++) {
                            v += weight[x][t] * data[(o * (int) in + index[x][t]) * inner + i];
                        }
                    }
                    result[(o * (int) out + x) * inner + i] = v;
                }
            }
        }
        return result;
    }

    private static void taps(Settings s, double c, long in, int x, int[][] index, double[][] weight) {
        if (s.mode().equals("nearest")) {
            index[x] = new int[] {(int) clamp(nearest(s.nearestMode(), c), in)};
            weight[x] = new double[] {1};
            return;
        }
        long base = (long) Math.floor(c);
        double r = c - base;
        double[] w = s.mode().equals("linear") ? new double[] {1 - r, r} : cubic(r, s.cubicA());
        long first = s.mode().equals("linear") ? base : base - 1;
        int[] idx = new int[w.length];
        double sum = 0;
        for (int t = 0; t < w.length; t++) {
            long i = first + t;
            if (s.excludeOutside() && (i < 0 || i >= in)) {
                w[t] = 0;
            }
            sum += w[t];
            idx[t] = (int) clamp(i, in);
        }
        if (s.excludeOutside() && sum != 0) {
            for (int t = 0; t < w.length; t++) {
                w[t] /= sum;
            }
        }
        index[x] = idx;
        weight[x] = w;
    }

    private static long clamp(long i, long in) {
        return Math.max(0, Math.min(in - 1, i));
    }
}
