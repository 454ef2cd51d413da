package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.TensorType;
import java.util.Map;
import java.util.Set;

/**
 * The sliding-window geometry shared by convolution and pooling: per spatial dimension the
 * input size, kernel size, stride, dilation, padding at both ends and output size. Attributes
 * read (all optional): {@code strides}, {@code dilations} (one entry per spatial dim, default
 * 1), {@code pads} ({@code [begin..., end...]}, default 0), {@code auto_pad} ({@code "notset"},
 * {@code "same_upper"}, {@code "same_lower"}, {@code "valid"}) and, for pooling, {@code ceil_mode}.
 *
 * <p>Output size with explicit pads: {@code floor((in + pb + pe - ((k-1)*d + 1)) / s) + 1}, or
 * {@code ceil} with {@code ceil_mode}, where a last window that would start inside the end
 * padding is dropped (ONNX Runtime and PyTorch do so; the ONNX spec leaves it open).
 * {@code same_*}: {@code ceil(in / s)}, the total padding {@code max(0, (out-1)*s + (k-1)*d + 1 - in)}
 * split with the odd unit at the end ({@code same_upper}) or beginning ({@code same_lower}).
 * {@code valid}: no padding, {@code ceil((in - ((k-1)*d + 1) + 1) / s)}. A dynamic input size
 * gives a dynamic output size.
 */
record WindowGeometry(long[] input, long[] kernel, long[] strides, long[] dilations, long[] padsBegin,
        long[] padsEnd, long[] output) {

    static final Set<String> AUTO_PADS = Set.of("notset", "same_upper", "same_lower", "valid");

    /** The geometry of a window over {@code input} (spatial sizes, possibly dynamic). */
    static WindowGeometry of(long[] input, long[] kernel, Map<String, Attribute> attributes) {
        int n = input.length;
        if (kernel.length != n) {
            throw new InvalidOpException("expects a kernel of " + n + " spatial dims, found " + NnTypes.text(kernel));
        }
        long[] strides = ConvAttrs.perDim(attributes, "strides", n, 1);
        long[] dilations = ConvAttrs.perDim(attributes, "dilations", n, 1);
        long[] pads = ConvAttrs.perDim(attributes, "pads", 2 * n, 0);
        String autoPad = ConvAttrs.choice(attributes, "auto_pad", "notset", AUTO_PADS);
        boolean ceil = NnTypes.bool(attributes, "ceil_mode", false);
        for (int d = 0; d < n; d++) {
            if (strides[d] < 1 || dilations[d] < 1 || kernel[d] < 1 && kernel[d] != TensorType.DYNAMIC) {
                throw new InvalidOpException("expects kernel sizes, strides and dilations >= 1, found kernel "
                        + NnTypes.text(kernel) + ", strides " + NnTypes.text(strides) + ", dilations "
                        + NnTypes.text(dilations));
            }
            if (pads[d] < 0 || pads[d + n] < 0) {
                throw new InvalidOpException("expects pads >= 0, found " + NnTypes.text(pads));
            }
        }
        long[] begin = new long[n];
        long[] end = new long[n];
        long[] output = new long[n];
        for (int d = 0; d < n; d++) {
            long in = input[d];
            long extent = kernel[d] == TensorType.DYNAMIC ? TensorType.DYNAMIC : (kernel[d] - 1) * dilations[d] + 1;
            long s = strides[d];
            if (in == TensorType.DYNAMIC || extent == TensorType.DYNAMIC) {
                output[d] = TensorType.DYNAMIC;
                begin[d] = autoPad.equals("notset") ? pads[d] : 0;
                end[d] = autoPad.equals("notset") ? pads[d + n] : 0;
                continue;
            }
            switch (autoPad) {
                case "same_upper", "same_lower" -> {
                    output[d] = Math.ceilDiv(in, s);
                    long total = Math.max(0, (output[d] - 1) * s + extent - in);
                    begin[d] = autoPad.equals("same_upper") ? total / 2 : total - total / 2;
                    end[d] = total - begin[d];
                }
                case "valid" -> output[d] = Math.max(0, Math.ceilDiv(in - extent + 1, s));
                default -> {
                    begin[d] = pads[d];
                    end[d] = pads[d + n];
                    long span = in + begin[d] + end[d] - extent;
                    if (span < 0) {
                        throw new InvalidOpException("expects the window (extent " + extent + ") to fit the padded input "
                                + (in + begin[d] + end[d]) + " in spatial dim " + d);
                    }
                    output[d] = (ceil ? Math.ceilDiv(span, s) : span / s) + 1;
                    if (ceil && (output[d] - 1) * s >= in + begin[d]) {
                        output[d]--;
                    }
                }
            }
        }
        return new WindowGeometry(input, kernel, strides, dilations, begin, end, output);
    }

    /**
     * For every position of {@code from} (row-major) and every kernel position, the flat index in
     * {@code to} of {@code pos * stride - padBegin + k * dilation}, or -1 where that falls outside
     * {@code to} (in the padding). Convolution and pooling walk from output to input; transposed
     * convolution from input to output.
     */
    static int[] taps(long[] from, long[] to, long[] kernel, long[] strides, long[] dilations, long[] padsBegin) {
        int n = from.length;
        int fromCount = IndexMath.count(from);
        int kernelCount = IndexMath.count(kernel);
        long[] toStrides = IndexMath.strides(to);
        int[] out = new int[fromCount * kernelCount];
        long[] pos = new long[n];
        long[] k = new long[n];
        for (int f = 0; f < fromCount; f++) {
            unravel(f, from, pos);
            for (int kk = 0; kk < kernelCount; kk++) {
                unravel(kk, kernel, k);
                long flat = 0;
                for (int d = 0; d < n && flat >= 0; d++) {
                    long i = pos[d] * strides[d] - padsBegin[d] + k[d] * dilations[d];
                    flat = i < 0 || i >= to[d] ? -1 : flat + i * toStrides[d];
                }
                out[f * kernelCount + kk] = Math.toIntExact(flat);
            }
        }
        return out;
    }

    /** {@link #taps} from this geometry's output to its input. */
    int[] taps() {
        return taps(output, input, kernel, strides, dilations, padsBegin);
    }

    /** The multi-index of flat position {@code flat} in {@code shape}, into {@code index}. */
    static void unravel(long flat, long[] shape, long[] index) {
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
    }

    /** The spatial dims of a {@code [N, C, spatial...]} shape. */
    static long[] spatial(long[] shape) {
        return java.util.Arrays.copyOfRange(shape, 2, shape.length);
    }

    /** {@code [n, c, spatial...]}. */
    static long[] withSpatial(long n, long c, long[] spatial) {
        long[] out = new long[spatial.length + 2];
        out[0] = n;
        out[1] = c;
        System.arraycopy(spatial, 0, out, 2, spatial.length);
        return out;
    }
}
