package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.List;

/**
 * {@code nn.roi_align}: average or max of bilinear samples over each output bin of each region
 * of interest, as {@code RoiAlignOp} defines it (half-pixel or output-half-pixel coordinates,
 * a fixed or adaptive sampling ratio, samples beyond one pixel outside the input count 0).
 *
 * <p>Schedule: threads split {@code R x C x output_height}; each output element walks its bin's
 * {@code gh x gw} samples (run-time counts when {@code sampling_ratio} is 0). The region geometry,
 * sample coordinates, weights and the sum are the reference's f64 arithmetic in its order,
 * rounded once. A batch index out of range fails the call (the reference throws) and is
 * clamped so loads stay in bounds.
 */
final class RoiAlignLowering implements OpLowering {

    @Override
    public void lower(KernelContext cx) {
        Value x = cx.input(0);
        Value rois = cx.input(1);
        Value batch = cx.input(2);
        Value y = cx.output(0);
        MemRefType xt = (MemRefType) x.type();
        MemRefType yt = (MemRefType) y.type();
        String mode = ShapeAttrs.string(cx.op(), "mode", "avg");
        String transform = ShapeAttrs.string(cx.op(), "coordinate_transformation_mode", "half_pixel");
        if (!mode.equals("avg") && !mode.equals("max")
                || !transform.equals("half_pixel") && !transform.equals("output_half_pixel")) {
            throw cx.unsupported("mode '" + mode + "' with coordinate_transformation_mode '" + transform + "'");
        }
        boolean max = mode.equals("max");
        boolean halfPixel = transform.equals("half_pixel");
        long ratio = Window.integer(cx.op(), "sampling_ratio", 0);
        double scale = switch (cx.op().attributes().get("spatial_scale")) {
            case dev.lathe.ir.attr.FloatAttr f -> f.value();
            case dev.lathe.ir.attr.IntegerAttr i -> i.value();
            case null, default -> 1;
        };
        long total = yt.numElements();
        if (total == 0) {
            return;
        }
        long channels = yt.dim(1);
        long oh = yt.dim(2);
        long ow = yt.dim(3);
        long h = xt.dim(2);
        long w = xt.dim(3);
        long[] rows = {yt.dim(0), channels, oh};
        long grain = WorkSplit.grain(rows[0] * channels * oh,
                WorkSplit.tasks(cx, rows[0] * channels * oh, total * 64 * Math.max(1, ratio * ratio)));
        double offset = halfPixel ? 0.5 : 0;
        cx.builder().parallel(0, rows[0] * channels * oh, 1, grain, (b, flat) -> {
            List<Value> pos = b.delinearize(flat, rows);
            Value r = pos.get(0);
            Value c = pos.get(1);
            Value ph = b.cast(pos.get(2), ScalarType.F64);
            Value rawN = b.load(batch, List.of(r));
            b.assertTrue(b.binary("loop.and", b.cmp("ge", rawN, i64(b, 0)), b.cmp("lt", rawN, i64(b, xt.dim(0)))),
                    "nn.roi_align: a batch index is out of range for an input of " + xt.dim(0) + " images");
            Value n = IndexChecks.clamp(b, b.cast(rawN, ScalarType.INDEX), 0, xt.dim(0) - 1);
            Value[] box = new Value[4];
            for (int i = 0; i < 4; i++) {
                box[i] = b.sub(b.mul(b.cast(b.load(rois, List.of(r, b.index(i))), ScalarType.F64), f64(b, scale)),
                        f64(b, offset));
            }
            Value sw = box[0];
            Value sh = box[1];
            Value rw = b.sub(box[2], sw);
            Value rh = b.sub(box[3], sh);
            if (!halfPixel) {
                rw = b.max(rw, f64(b, 1));
                rh = b.max(rh, f64(b, 1));
            }
            Value bh = b.div(rh, f64(b, oh));
            Value bw = b.div(rw, f64(b, ow));
            Value gh = ratio > 0 ? i64(b, ratio) : b.cast(b.unary("loop.ceil", b.div(rh, f64(b, oh))), ScalarType.I64);
            Value gw = ratio > 0 ? i64(b, ratio) : b.cast(b.unary("loop.ceil", b.div(rw, f64(b, ow))), ScalarType.I64);
            Value samples = b.mul(gh, gw);
            Value count = b.cast(b.max(samples, i64(b, 1)), ScalarType.F64);
            Value ghF = b.cast(gh, ScalarType.F64);
            Value gwF = b.cast(gw, ScalarType.F64);
            Value ghI = b.cast(gh, ScalarType.INDEX);
            Value gwI = b.cast(gw, ScalarType.INDEX);
            Sampler s = new Sampler(x, n, c, h, w, max);
            b.forRange(0, ow, 1, (pb, pwI) -> {
                Value pw = pb.cast(pwI, ScalarType.F64);
                Value init = f64(pb, max ? Double.NEGATIVE_INFINITY : 0);
                Value acc = pb.forRange(pb.index(0), ghI, pb.index(1), List.of(init), (yb, iy, ay) -> {
                    // sh + ph * bh + (iy + 0.5) * bh / gh
                    Value yy = yb.add(yb.add(sh, yb.mul(ph, bh)),
                            yb.div(yb.mul(yb.add(yb.cast(iy, ScalarType.F64), f64(yb, 0.5)), bh), ghF));
                    return yb.forRange(yb.index(0), gwI, yb.index(1), ay, (xb, ix, ax) -> {
                        Value xx = xb.add(xb.add(sw, xb.mul(pw, bw)),
                                xb.div(xb.mul(xb.add(xb.cast(ix, ScalarType.F64), f64(xb, 0.5)), bw), gwF));
                        return List.of(s.sample(xb, yy, xx, ax.get(0)));
                    });
                }).get(0);
                Value v = max ? pb.select(pb.cmp("eq", samples, i64(pb, 0)), f64(pb, 0), acc) : pb.div(acc, count);
                pb.store(pb.cast(v, yt.elementType()), y, List.of(r, c, pos.get(2), pwI));
            });
        });
    }

    /** The reference's {@code sample}: one bilinear sample added (avg) or maxed (max) into {@code acc}. */
    private record Sampler(Value x, Value n, Value c, long h, long w, boolean max) {

        Value sample(LoopBuilder b, Value y, Value xx, Value acc) {
            Value outside = b.binary("loop.or", b.binary("loop.or", b.cmp("lt", y, f64(b, -1)), b.cmp("gt", y, f64(b, h))),
                    b.binary("loop.or", b.cmp("lt", xx, f64(b, -1)), b.cmp("gt", xx, f64(b, w))));
            Value[] yAxis = axis(b, b.max(y, f64(b, 0)), h);
            Value[] xAxis = axis(b, b.max(xx, f64(b, 0)), w);
            Value one = f64(b, 1);
            Value ly = yAxis[2];
            Value lx = xAxis[2];
            Value hy = b.sub(one, ly);
            Value hx = b.sub(one, lx);
            Value t0 = b.mul(b.mul(hy, hx), load(b, yAxis[0], xAxis[0]));
            Value t1 = b.mul(b.mul(hy, lx), load(b, yAxis[0], xAxis[1]));
            Value t2 = b.mul(b.mul(ly, hx), load(b, yAxis[1], xAxis[0]));
            Value t3 = b.mul(b.mul(ly, lx), load(b, yAxis[1], xAxis[1]));
            Value inside = max ? b.max(acc, b.max(b.max(t0, t1), b.max(t2, t3)))
                    : b.add(b.add(b.add(b.add(acc, t0), t1), t2), t3);
            Value skipped = max ? b.max(acc, f64(b, 0)) : acc;
            return b.select(outside, skipped, inside);
        }

        /**
         * Along one axis at coordinate {@code v >= 0}: the two neighbour indices (both the last
         * one from {@code size - 1} on, where the coordinate snaps to it) and the fraction.
         */
        private static Value[] axis(LoopBuilder b, Value v, long size) {
            Value i0 = b.cast(v, ScalarType.I64);
            Value atEnd = b.cmp("ge", i0, i64(b, size - 1));
            Value last = i64(b, size - 1);
            Value lo = b.select(atEnd, last, i0);
            Value hi = b.select(atEnd, last, b.add(i0, i64(b, 1)));
            Value frac = b.sub(b.select(atEnd, b.cast(last, ScalarType.F64), v), b.cast(lo, ScalarType.F64));
            // indices stay in bounds for samples that the caller discards (outside the input)
            return new Value[] {clampIndex(b, lo, size), clampIndex(b, hi, size), frac};
        }

        private static Value clampIndex(LoopBuilder b, Value i, long size) {
            return b.cast(b.min(b.max(i, i64(b, 0)), i64(b, size - 1)), ScalarType.INDEX);
        }

        private Value load(LoopBuilder b, Value iy, Value ix) {
            return b.cast(b.load(x, List.of(n, c, iy, ix)), ScalarType.F64);
        }
    }

    private static Value i64(LoopBuilder b, long v) {
        return b.constant((Type) ScalarType.I64, v);
    }

    private static Value f64(LoopBuilder b, double v) {
        return b.constant(ScalarType.F64, v);
    }
}
