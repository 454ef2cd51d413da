package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import java.util.Arrays;

/**
 * The sliding-window geometry of a convolution or pooling op, per spatial dim, as the nn ops
 * define it (ir's WindowGeometry, which lowerings cannot reach): {@code strides},
 * {@code dilations}, {@code pads} and {@code auto_pad} give the begin padding; the output sizes
 * come from the already inferred result type. Input position of output {@code o}, tap {@code k}:
 * {@code o * stride - padBegin + k * dilation}.
 */
record Window(long[] input, long[] kernel, long[] strides, long[] dilations, long[] padsBegin, long[] padsEnd,
        long[] output) {

    /** The geometry of {@code op}'s window from {@code input} to {@code output} (spatial sizes). */
    static Window of(Operation op, long[] input, long[] kernel, long[] output) {
        int n = input.length;
        long[] strides = longs(op, "strides", n, 1);
        long[] dilations = longs(op, "dilations", n, 1);
        long[] pads = longs(op, "pads", 2 * n, 0);
        String autoPad = op.attributes().get("auto_pad") instanceof StringAttr s ? s.value() : "notset";
        long[] begin = new long[n];
        long[] end = new long[n];
        for (int d = 0; d < n; d++) {
            long extent = (kernel[d] - 1) * dilations[d] + 1;
            begin[d] = switch (autoPad) {
                case "same_upper", "same_lower" -> {
                    long out = Math.ceilDiv(input[d], strides[d]);
                    long total = Math.max(0, (out - 1) * strides[d] + extent - input[d]);
                    yield autoPad.equals("same_upper") ? total / 2 : total - total / 2;
                }
                case "valid" -> 0;
                default -> pads[d];
            };
            end[d] = switch (autoPad) {
                case "same_upper", "same_lower" -> Math.max(0, (Math.ceilDiv(input[d], strides[d]) - 1) * strides[d]
                        + extent - input[d]) - begin[d];
                case "valid" -> 0;
                default -> pads[d + n];
            };
        }
        return new Window(input, kernel, strides, dilations, begin, end, output);
    }

    /** The window of a global pool: the whole input, one output. */
    static Window global(long[] input) {
        long[] ones = new long[input.length];
        Arrays.fill(ones, 1);
        long[] zeros = new long[input.length];
        return new Window(input, input, ones, ones, zeros, zeros, ones);
    }

    int rank() {
        return input.length;
    }

    /** The kernel offsets of tap {@code t} of the window over the first {@code dims} spatial dims, taps in row-major order. */
    long[] tap(long t, int dims) {
        long[] k = new long[dims];
        long rest = t;
        for (int d = dims - 1; d >= 0; d--) {
            k[d] = rest % kernel[d];
            rest /= kernel[d];
        }
        return k;
    }

    /**
     * The output positions {@code [lo, hi)} of the last spatial dim where every tap is inside the
     * input (no bounds checks needed there); {@code lo >= hi} when there are none.
     */
    long[] interior(int d) {
        long s = strides[d];
        long p = padsBegin[d];
        long last = (kernel[d] - 1) * dilations[d];
        long lo = Math.max(0, Math.ceilDiv(p, s));
        long hi = Math.min(output[d], Math.floorDiv(input[d] - 1 - last + p, s) + 1);
        return new long[] {lo, Math.max(lo, hi)};
    }

    static long[] longs(Operation op, String name, int length, long fill) {
        Attribute a = op.attributes().get(name);
        if (a instanceof ArrayAttr array && array.asLongs() != null && array.size() == length) {
            return array.asLongs();
        }
        long[] v = new long[length];
        Arrays.fill(v, fill);
        return v;
    }

    static long integer(Operation op, String name, long fallback) {
        return op.attributes().get(name) instanceof IntegerAttr i ? i.value() : fallback;
    }

    static boolean bool(Operation op, String name, boolean fallback) {
        return op.attributes().get(name) instanceof BoolAttr b ? b.value() : fallback;
    }

    static long product(long[] dims) {
        long p = 1;
        for (long d : dims) {
            p *= d;
        }
        return p;
    }
}
