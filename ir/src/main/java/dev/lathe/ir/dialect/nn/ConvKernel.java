package dev.lathe.ir.dialect.nn;

/**
 * The reference convolution loops shared by {@code nn.conv}, {@code nn.conv_integer},
 * {@code nn.qlinear_conv} and {@code nn.conv_transpose}: grouped, N-D, over flat row-major
 * arrays. Floats accumulate in double starting from {@code -0.0} (see NnTypes#sumStart), integers
 * in 64 bits.
 */
final class ConvKernel {

    private ConvKernel() {}

    /** Operand arrays: exactly one of {@code doubles}/{@code longs} is non-null per tensor. */
    record Data(double[] doubles, long[] longs) {
        static Data of(boolean isFloat, dev.lathe.ir.attr.DenseElementsAttr a) {
            return isFloat ? new Data(a.toDoubles(), null) : new Data(null, a.toLongs());
        }
    }

    /**
     * {@code y[n, m, o] = sum_{c, k} x[n, g*Cg + c, tap(o, k)] * w[m, c, k]} with {@code g = m / (M / group)}:
     * x is {@code [N, C, in...]}, w {@code [M, C/group, kernel...]}, y {@code [N, M, out...]}.
     */
    static Data convolve(Data x, long[] xShape, Data w, long[] wShape, WindowGeometry geometry, int group) {
        int batch = (int) xShape[0];
        int channels = (int) xShape[1];
        int filters = (int) wShape[0];
        int perGroupIn = channels / group;
        int perGroupOut = filters / group;
        int inSize = IndexMath.count(geometry.input());
        int outSize = IndexMath.count(geometry.output());
        int kSize = IndexMath.count(geometry.kernel());
        int[] taps = geometry.taps();
        boolean isFloat = x.doubles() != null;
        int total = batch * filters * outSize;
        double[] fy = isFloat ? new double[total] : null;
        long[] ly = isFloat ? null : new long[total];
        if (isFloat) {
            java.util.Arrays.fill(fy, NnTypes.sumStart((long) perGroupIn * kSize));
        }
        for (int n = 0; n < batch; n++) {
            for (int m = 0; m < filters; m++) {
                int g = m / perGroupOut;
                int yBase = (n * filters + m) * outSize;
                for (int c = 0; c < perGroupIn; c++) {
                    int xBase = (n * channels + g * perGroupIn + c) * inSize;
                    int wBase = (m * perGroupIn + c) * kSize;
                    for (int o = 0; o < outSize; o++) {
                        for (int k = 0; k < kSize; k++) {
                            int tap = taps[o * kSize + k];
                            if (tap < 0) {
                                continue;
                            }
                            if (isFloat) {
                                fy[yBase + o] += x.doubles()[xBase + tap] * w.doubles()[wBase + k];
                            } else {
                                ly[yBase + o] += x.longs()[xBase + tap] * w.longs()[wBase + k];
                            }
                        }
                    }
                }
            }
        }
        return new Data(fy, ly);
    }

    /** Subtracts a per-tensor (size 1) or per-channel (size = dim {@code axis}) zero point, in place. */
    static long[] shift(long[] values, long[] shape, int axis, long[] zeroPoint) {
        if (zeroPoint == null) {
            return values;
        }
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        for (int i = 0; i < values.length; i++) {
            values[i] -= zeroPoint.length == 1 ? zeroPoint[0] : zeroPoint[(int) ((i / inner) % shape[axis])];
        }
        return values;
    }
}
