package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code nn.grid_sample}: samples {@code x [N, C, D1..Dk]} at the normalized coordinates of
 * {@code grid [N, O1..Ok, k]} with nearest, linear or cubic (a = -0.75) interpolation and zeros,
 * border or reflection padding, as {@code GridSampleOp} defines it.
 *
 * <p>Schedule: threads split {@code N x} the output rows; per output position the taps of each
 * spatial dim (input index, weight, whether it counts) are computed once in f64, with the
 * unnormalized coordinate rounded to f32 as the reference does, then shared by every channel:
 * each channel's value is the nested sum over the taps, first spatial dim outermost, skipping
 * taps in the zero padding or of weight 0, in f64 and rounded once, exactly the reference's
 * arithmetic and order.
 */
final class GridSampleLowering implements OpLowering {

    private static final Set<String> MODES = Set.of("linear", "nearest", "cubic");
    private static final Set<String> PADDINGS = Set.of("zeros", "border", "reflection");

    /** The taps of one spatial dim at one output position: clamped indices, weights, and whether each counts. */
    private record Taps(Value[] index, Value[] weight, Value[] counts) {}

    @Override
    public void lower(KernelContext cx) {
        Value x = cx.input(0);
        Value grid = cx.input(1);
        Value y = cx.output(0);
        MemRefType xt = (MemRefType) x.type();
        MemRefType gt = (MemRefType) grid.type();
        MemRefType yt = (MemRefType) y.type();
        String mode = ShapeAttrs.string(cx.op(), "mode", "linear");
        String padding = ShapeAttrs.string(cx.op(), "padding_mode", "zeros");
        if (!MODES.contains(mode) || !PADDINGS.contains(padding)) {
            throw cx.unsupported("mode '" + mode + "' with padding_mode '" + padding + "'");
        }
        boolean align = Window.bool(cx.op(), "align_corners", false);
        long total = yt.numElements();
        if (total == 0) {
            return;
        }
        int k = xt.rank() - 2;
        long[] dims = ConvLowering.spatial(xt);
        long channels = xt.dim(1);
        long[] positions = new long[k + 1];
        positions[0] = gt.dim(0);
        System.arraycopy(gt.shapeArray(), 1, positions, 1, k);
        int taps = mode.equals("nearest") ? 1 : mode.equals("linear") ? 2 : 4;
        long rows = total / channels / positions[k];
        long grain = WorkSplit.grain(rows, WorkSplit.tasks(cx, rows, total * (long) Math.pow(taps, k) * 3));
        cx.builder().parallelEachIndex(positions, k, grain, (b, pos) -> {
            Value n = pos.get(0);
            Taps[] perDim = new Taps[k];
            for (int d = 0; d < k; d++) {
                List<Value> gi = new ArrayList<>(pos);
                gi.add(b.index(k - 1 - d)); // the last grid axis lists coordinates innermost dim first
                Value g = b.cast(b.load(grid, gi), ScalarType.F64);
                perDim[d] = taps(b, g, dims[d], mode, padding, align, k, taps);
            }
            b.forRange(0, channels, 1, (cb, c) -> {
                Value v = sum(cb, x, n, c, perDim, 0, new ArrayList<>());
                List<Value> yi = new ArrayList<>(List.of(n, c));
                yi.addAll(pos.subList(1, pos.size()));
                cb.store(cb.cast(v, yt.elementType()), y, yi);
            });
        });
    }

    /** {@code sum_t [counts] w[t] * level(d + 1)} in the reference's order; past the last dim, the input element. */
    private static Value sum(LoopBuilder b, Value x, Value n, Value c, Taps[] perDim, int d, List<Value> idx) {
        if (d == perDim.length) {
            List<Value> xi = new ArrayList<>(List.of(n, c));
            xi.addAll(idx);
            return b.cast(b.load(x, xi), ScalarType.F64);
        }
        Taps t = perDim[d];
        Value acc = f64(b, 0);
        for (int i = 0; i < t.index().length; i++) {
            List<Value> inner = new ArrayList<>(idx);
            inner.add(t.index()[i]);
            Value term = b.add(acc, b.mul(t.weight()[i], sum(b, x, n, c, perDim, d + 1, inner)));
            acc = b.select(t.counts()[i], term, acc);
        }
        return acc;
    }

    /** The taps of grid coordinate {@code g} along a dim of {@code size} elements. */
    private static Taps taps(LoopBuilder b, Value g, long size, String mode, String padding, boolean align, int k,
            int count) {
        double min = align ? 0 : -0.5;
        double max = align ? size - 1 : size - 0.5;
        Value one = f64(b, 1);
        Value c = align ? b.mul(b.div(b.add(g, one), f64(b, 2)), f64(b, size - 1))
                : b.div(b.sub(b.mul(b.add(g, one), f64(b, size)), one), f64(b, 2));
        c = b.cast(b.cast(c, ScalarType.F32), ScalarType.F64); // the reference rounds the coordinate to f32
        if (mode.equals("nearest")) {
            if (k == 3) { // half away from zero, as PyTorch's 3-D path
                Value sign = b.select(b.cmp("gt", c, f64(b, 0)), one, b.select(b.cmp("lt", c, f64(b, 0)), f64(b, -1), c));
                c = b.mul(sign, b.unary("loop.floor", b.add(b.unary("loop.abs", c), f64(b, 0.5))));
            } else {
                c = b.unary("loop.round", c);
            }
        }
        Value outside = b.binary("loop.or", b.cmp("lt", c, f64(b, min)), b.cmp("gt", c, f64(b, max)));
        if (padding.equals("border")) {
            c = b.select(outside, b.max(f64(b, 0), b.min(f64(b, size - 1), c)), c);
        } else if (padding.equals("reflection")) {
            c = b.select(outside, reflect(b, c, min, max), c);
        }
        Value first;
        Value[] w;
        if (mode.equals("nearest")) {
            first = b.cast(c, ScalarType.I64);
            w = new Value[] {one};
        } else {
            Value floor = b.cast(b.unary("loop.floor", c), ScalarType.I64);
            Value r = b.sub(c, b.cast(floor, ScalarType.F64));
            if (mode.equals("linear")) {
                first = floor;
                w = new Value[] {b.sub(one, r), r};
            } else {
                first = b.sub(floor, i64(b, 1));
                w = Cubic.weights(b, r, -0.75);
            }
        }
        Value[] index = new Value[count];
        Value[] counts = new Value[count];
        for (int t = 0; t < count; t++) {
            Value i = b.add(first, i64(b, t));
            Value valid = b.cmp("ne", w[t], f64(b, 0));
            switch (padding) {
                case "zeros" -> valid = b.binary("loop.and", valid,
                        b.binary("loop.and", b.cmp("ge", i, i64(b, 0)), b.cmp("lt", i, i64(b, size))));
                case "border" -> i = b.min(b.max(i, i64(b, 0)), i64(b, size - 1));
                default -> {
                    i = b.cast(reflect(b, b.cast(i, ScalarType.F64), min, max), ScalarType.I64);
                    valid = b.binary("loop.and", valid, b.cmp("ge", i, i64(b, 0)));
                }
            }
            counts[t] = valid;
            // loads stay in bounds; taps that do not count are selected away
            index[t] = b.cast(b.min(b.max(i, i64(b, 0)), i64(b, size - 1)), ScalarType.INDEX);
        }
        return new Taps(index, w, counts);
    }

    /** {@code GridSampleOp.reflect}: folds {@code v} into {@code [min, max]} by reflecting at the borders. */
    private static Value reflect(LoopBuilder b, Value v, double min, double max) {
        double range = max - min;
        Value lo = f64(b, min);
        Value hi = f64(b, max);
        Value below = b.cmp("lt", v, lo);
        Value dv = b.select(below, b.sub(lo, v), b.sub(v, hi));
        Value times = b.cast(b.div(dv, f64(b, range)), ScalarType.I64);
        Value r = b.sub(dv, b.mul(b.cast(times, ScalarType.F64), f64(b, range)));
        Value even = b.cmp("eq", b.rem(times, i64(b, 2)), i64(b, 0));
        Value fromBelow = b.select(even, b.add(lo, r), b.sub(hi, r));
        Value fromAbove = b.select(even, b.sub(hi, r), b.add(lo, r));
        Value above = b.cmp("gt", v, hi);
        return b.select(below, fromBelow, b.select(above, fromAbove, v));
    }

    private static Value i64(LoopBuilder b, long v) {
        return b.constant((Type) ScalarType.I64, v);
    }

    private static Value f64(LoopBuilder b, double v) {
        return b.constant(ScalarType.F64, v);
    }
}
