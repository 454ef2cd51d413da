package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.ResizeOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.List;

/**
 * The taps table of one resized axis of {@code nn.resize}: for every result index {@code x}
 * along the axis, the input coordinate {@code c} of the coordinate transformation, then the
 * nearest index or the linear/cubic neighbours and weights ({@code exclude_outside} zeroes and
 * renormalizes), indices clamped to the input. Row {@code x} of {@code index} holds the
 * {@code taps} indices and, last, 1 when crop-and-resize puts {@code c} outside the input.
 *
 * <p>Everything is f64 and written in the same operation order as the interpreter's
 * {@code ResizeKernel} (no fused multiply-adds), so picks and weights are the same bits.
 * Compile-time constants ({@code roi_start * (in - 1)}, the symmetric offset, ...) are computed
 * here in Java by the same expressions.
 */
final class AxisTaps {

    private final ResizeOp.Plan plan;
    private final int axisIndex;
    private final long in;
    private final long out;
    private final double scale;
    private final int taps;

    AxisTaps(ResizeOp.Plan plan, int axisIndex, long in, int taps) {
        this.plan = plan;
        this.axisIndex = axisIndex;
        this.in = in;
        int d = plan.axes()[axisIndex];
        this.out = plan.sizes()[d];
        this.scale = plan.scales()[d];
        this.taps = taps;
    }

    /**
     * Whether this axis maps every result index to itself with weight 1 (size and scale 1 under a
     * transform that then gives {@code c = x} exactly): the kernel skips it. Exact for nearest and
     * linear; cubic weights at {@code r = 0} are {@code 0, 1, 0, 0} for the usual coefficients.
     * (The reference would turn an infinite neighbour's {@code 0 * inf} into NaN; skipping does not.)
     */
    boolean isIdentity() {
        return out == in && scale == 1.0 && switch (plan.transform()) {
            case "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "half_pixel_symmetric" -> true;
            default -> false;
        };
    }

    void emit(LoopBuilder b, Value index, Value weight) {
        b.forRange(0, out, 1, (lb, x) -> {
            Value c = source(lb, lb.cast(x, ScalarType.F64));
            Value outside = i64(lb, 0);
            if (plan.transform().equals("tf_crop_and_resize")) {
                Value below = lb.cmp("lt", c, f64(lb, 0));
                Value above = lb.cmp("gt", c, f64(lb, in - 1));
                outside = lb.cast(lb.binary("loop.or", below, above), ScalarType.I64);
            }
            lb.store(outside, index, List.of(x, lb.index(taps)));
            if (plan.mode().equals("nearest")) {
                lb.store(clamp(lb, nearest(lb, c)), index, List.of(x, lb.index(0)));
            } else {
                interpolation(lb, c, x, index, weight);
            }
        });
    }

    /** {@code ResizeKernel.source}: the input coordinate of result index {@code x} (an f64). */
    private Value source(LoopBuilder b, Value x) {
        double outF = in * scale; // the reference's fractional resized length
        Value half = f64(b, 0.5);
        return switch (plan.transform()) {
            case "half_pixel" -> b.sub(b.div(b.add(x, half), f64(b, scale)), half);
            case "pytorch_half_pixel" -> outF > 1 ? b.sub(b.div(b.add(x, half), f64(b, scale)), half) : f64(b, 0);
            case "align_corners" -> outF == 1 ? f64(b, 0) : b.div(b.mul(x, f64(b, in - 1)), f64(b, outF - 1));
            case "asymmetric" -> b.div(x, f64(b, scale));
            case "tf_half_pixel_for_nn" -> b.div(b.add(x, half), f64(b, scale));
            case "tf_crop_and_resize" -> {
                double start = plan.roiStart()[axisIndex];
                double end = plan.roiEnd()[axisIndex];
                if (!(outF > 1)) {
                    yield f64(b, 0.5 * (start + end) * (in - 1));
                }
                Value t = b.div(b.mul(b.mul(x, f64(b, end - start)), f64(b, in - 1)), f64(b, outF - 1));
                yield b.add(f64(b, start * (in - 1)), t);
            }
            case "half_pixel_symmetric" -> {
                double adjustment = outF / (scale * in);
                double offset = in / 2.0 * (1 - adjustment);
                yield b.sub(b.add(f64(b, offset), b.div(b.add(x, half), f64(b, scale))), half);
            }
            default -> throw new IllegalStateException(plan.transform());
        };
    }

    /** {@code ResizeKernel.nearest}, as an i64 before clamping. */
    private Value nearest(LoopBuilder b, Value c) {
        Value floor = b.unary("loop.floor", c);
        Value pick = switch (plan.nearestMode()) {
            case "round_prefer_floor" -> b.select(b.cmp("eq", b.sub(c, floor), f64(b, 0.5)), floor,
                    b.unary("loop.floor", b.add(c, f64(b, 0.5))));
            case "round_prefer_ceil" -> b.unary("loop.floor", b.add(c, f64(b, 0.5)));
            case "floor" -> floor;
            case "ceil" -> b.unary("loop.ceil", c);
            default -> throw new IllegalStateException(plan.nearestMode());
        };
        return b.cast(pick, ScalarType.I64);
    }

    /** Linear or cubic neighbours of {@code c} with their weights ({@code ResizeKernel.taps}). */
    private void interpolation(LoopBuilder b, Value c, Value x, Value index, Value weight) {
        Value floor = b.unary("loop.floor", c);
        Value r = b.sub(c, floor);
        Value base = b.cast(floor, ScalarType.I64);
        boolean linear = taps == 2;
        Value[] w = linear ? new Value[] {b.sub(f64(b, 1), r), r} : Cubic.weights(b, r, plan.cubicA());
        Value first = linear ? base : b.sub(base, i64(b, 1));
        Value[] idx = new Value[taps];
        Value sum = f64(b, 0);
        for (int t = 0; t < taps; t++) {
            idx[t] = b.add(first, i64(b, t));
            if (plan.excludeOutside()) {
                Value inside = b.binary("loop.and", b.cmp("ge", idx[t], i64(b, 0)),
                        b.cmp("lt", idx[t], i64(b, in)));
                w[t] = b.select(inside, w[t], f64(b, 0));
            }
            sum = b.add(sum, w[t]);
        }
        Value normalize = b.cmp("ne", sum, f64(b, 0));
        for (int t = 0; t < taps; t++) {
            Value wt = plan.excludeOutside() ? b.select(normalize, b.div(w[t], sum), w[t]) : w[t];
            List<Value> at = List.of(x, b.index(t));
            b.store(wt, weight, at);
            b.store(clamp(b, idx[t]), index, at);
        }
    }

    private Value clamp(LoopBuilder b, Value i) {
        return b.min(b.max(i, i64(b, 0)), i64(b, in - 1));
    }

    private static Value i64(LoopBuilder b, long v) {
        return b.constant((dev.lathe.ir.type.Type) ScalarType.I64, v);
    }

    private static Value f64(LoopBuilder b, double v) {
        return b.constant(ScalarType.F64, v);
    }
}
