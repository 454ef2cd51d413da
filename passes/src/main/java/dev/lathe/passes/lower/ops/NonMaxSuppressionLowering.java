package dev.lathe.passes.lower.ops;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.List;
import java.util.Set;

/**
 * {@code nn.non_max_suppression}: greedy selection per (batch, class), exactly as
 * {@code NonMaxSuppressionOp.evaluate}. The result {@code [?, 3]} is bounded
 * (docs/lowering.md#data-dependent-shapes) by {@code batches·classes·min(max_output_boxes_per_class,
 * boxes)} rows. {@code max_output_boxes_per_class} is a constant operand in the dynamic form (the
 * CPU backend freezes a graph input feeding it: it decides the bound); the thresholds are read
 * at run time.
 *
 * <p>Schedule, O(n²) per (batch, class) for {@code n} boxes: the boxes' corners
 * {@code [ymin, xmin, ymax, xmax]} in f64 go to scratch (parallel over boxes); then, parallel
 * over (batch, class), each box above the score threshold gets its place in the visiting order
 * by counting the candidates before it (a higher score in {@code Double.compare}'s order, which
 * puts NaN above everything and {@code -0.0} below {@code 0.0}, or an equal score at a lower
 * index: the reference's stable sort), and the candidates are visited in that order, each kept
 * unless its IoU with a kept box exceeds the threshold, until the per-class maximum; the kept
 * box indices go to scratch. A sequential pass finally packs them by batch, then class. Geometry
 * in f64 with the reference's operations (zero-area boxes overlap nothing); exact.
 */
final class NonMaxSuppressionLowering implements OpLowering {

    @Override
    public Set<Integer> constantOperands(Operation op) {
        return op.numOperands() >= 4 ? Set.of(2) : Set.of();
    }

    @Override
    public TensorType resultBound(Operation op, int result) {
        TensorType scores = (TensorType) op.operand(1).type();
        long n = scores.dim(2);
        Long max = op.numOperands() >= 4 ? constantLong(op.operand(2)) : Long.valueOf(ShapeAttrs.integer(op,
                "max_output_boxes_per_class", 0));
        long perClass = max == null ? n : Math.max(0, Math.min(max, n)); // not yet frozen: every box
        return TensorType.of(ScalarType.I64, scores.dim(0) * scores.dim(1) * perClass, 3);
    }

    /** The value of an inline {@code nn.constant} operand, or null. */
    private static Long constantLong(Value v) {
        if (v instanceof OpResult r && NnConstants.isConstant(r.owner())
                && r.owner().attr("value") instanceof DenseElementsAttr d && d.numElements() == 1) {
            return d.getLong(0);
        }
        return null;
    }

    @Override
    public void lower(KernelContext cx) {
        Operation op = cx.op();
        boolean dynamic = cx.numOperands() >= 4;
        DenseElementsAttr maxOperand = dynamic ? cx.constant(2) : null;
        if (dynamic && maxOperand == null) {
            throw cx.unsupported("max_output_boxes_per_class computed at run time (it decides the result's bound)");
        }
        long max = dynamic ? maxOperand.getLong(0) : ShapeAttrs.integer(op, "max_output_boxes_per_class", 0);
        boolean center = ShapeAttrs.bool(op, "center_point_box", false);
        Value boxes = cx.input(0);
        Value scores = cx.input(1);
        long[] shape = CopyLowerings.shape(scores);
        long batches = shape[0];
        long classes = shape[1];
        long n = shape[2];
        long perClass = Math.max(0, Math.min(max, n));
        Value out = cx.output(0);
        LoopBuilder b = cx.builder();
        Value iouThreshold = dynamic ? b.cast(b.load(cx.input(3), first(b, cx.input(3))), ScalarType.F64)
                : b.constant(ScalarType.F64, ReductionAttrs.real(op, "iou_threshold", 0));
        Value scoreThreshold = dynamic ? (cx.hasOperand(4)
                ? b.cast(b.load(cx.input(4), first(b, cx.input(4))), ScalarType.F64) : null)
                : op.attributes().containsKey("score_threshold")
                        ? b.constant(ScalarType.F64, ReductionAttrs.real(op, "score_threshold", 0)) : null;
        if (perClass == 0 || batches * classes == 0) {
            b.store(b.constant((Type) ScalarType.I64, 0L), cx.extent(0), List.of());
            return;
        }

        Value corners = cx.scratch(MemRefType.of(ScalarType.F64, batches * n, 4));
        b.parallel(0, batches * n, 1, 64, (pb, bi) -> {
            List<Value> at = pb.delinearize(bi, new long[] {batches, n});
            Value[] v = new Value[4];
            for (int k = 0; k < 4; k++) {
                v[k] = pb.cast(pb.load(boxes, List.of(at.get(0), at.get(1), pb.index(k))), ScalarType.F64);
            }
            Value[] c;
            if (center) { // x_center, y_center, width, height
                Value two = pb.constant(ScalarType.F64, 2.0);
                Value hw = pb.div(v[3], two);
                Value hh = pb.div(v[2], two);
                c = new Value[] {pb.sub(v[1], hw), pb.sub(v[0], hh), pb.add(v[1], hw), pb.add(v[0], hh)};
            } else {
                c = new Value[] {pb.min(v[0], v[2]), pb.min(v[1], v[3]), pb.max(v[0], v[2]), pb.max(v[1], v[3])};
            }
            for (int k = 0; k < 4; k++) {
                pb.store(c[k], corners, List.of(bi, pb.index(k)));
            }
        });

        Value order = cx.scratch(MemRefType.of(ScalarType.I64, batches * classes, n));
        Value kept = cx.scratch(MemRefType.of(ScalarType.I64, batches * classes, perClass));
        Value keptCount = cx.scratch(MemRefType.of(ScalarType.I64, batches * classes));
        Value one = b.index(1);
        b.parallel(0, batches * classes, 1, 1, (pb, bc) -> {
            List<Value> at = pb.delinearize(bc, new long[] {batches, classes});
            Value batch = at.get(0);
            Value cls = at.get(1);
            // candidates: their places in the visiting order
            Value candidates = pb.forRange(0, n, 1, pb.index(0), (ib, a) -> {
                Value i = a[0];
                Value si = ib.cast(ib.load(scores, List.of(batch, cls, i)), ScalarType.F64);
                Value keyI = orderKey(ib, si);
                Value passes = above(ib, si, scoreThreshold);
                ib.ifThen(passes, tb -> {
                    Value place = tb.forRange(0, n, 1, tb.index(0), (jb, c) -> {
                        Value j = c[0];
                        Value sj = jb.cast(jb.load(scores, List.of(batch, cls, j)), ScalarType.F64);
                        Value keyJ = orderKey(jb, sj);
                        Value before = jb.binary("loop.or", jb.cmp("gt", keyJ, keyI),
                                jb.binary("loop.and", jb.cmp("eq", keyJ, keyI), jb.cmp("lt", j, i)));
                        before = jb.binary("loop.and", before, above(jb, sj, scoreThreshold));
                        return jb.add(c[1], jb.select(before, jb.index(1), jb.index(0)));
                    });
                    tb.store(tb.cast(i, ScalarType.I64), order, List.of(bc, place));
                });
                return ib.add(a[1], ib.select(passes, ib.index(1), ib.index(0)));
            });
            // greedy selection in that order
            Value limit = pb.index(perClass);
            Value count = pb.forRange(pb.index(0), candidates, one, List.of(pb.index(0)), (rb, r, c) -> {
                Value taken = c.get(0);
                Value i = rb.cast(rb.load(order, List.of(bc, r)), ScalarType.INDEX);
                Value room = rb.cmp("lt", taken, limit);
                Value keep = rb.ifElse(room, List.of(ScalarType.I1), tb -> {
                    Value suppressed = tb.forRange(tb.index(0), taken, tb.index(1), List.of(ElementwiseMath.boolConstant(tb, taken, false)),
                            (qb, q, s) -> {
                                Value k = qb.cast(qb.load(kept, List.of(bc, q)), ScalarType.INDEX);
                                Value iou = iou(qb, corners, qb.add(qb.mul(batch, qb.index(n)), i),
                                        qb.add(qb.mul(batch, qb.index(n)), k));
                                return List.of(qb.binary("loop.or", s.get(0), qb.cmp("gt", iou, iouThreshold)));
                            }).get(0);
                    return List.of(tb.unary("loop.not", suppressed));
                }, eb -> List.of(ElementwiseMath.boolConstant(eb, taken, false))).get(0);
                rb.ifThen(keep, tb -> tb.store(tb.cast(i, ScalarType.I64), kept, List.of(bc, taken)));
                return List.of(rb.add(taken, rb.select(keep, rb.index(1), rb.index(0))));
            }).get(0);
            pb.store(pb.cast(count, ScalarType.I64), keptCount, List.of(bc));
        });

        // pack: by batch, then class, then selection order
        Value total = b.forRange(0, batches * classes, 1, b.index(0), (pb, a) -> {
            Value bc = a[0];
            List<Value> at = pb.delinearize(bc, new long[] {batches, classes});
            Value batch = pb.cast(at.get(0), ScalarType.I64);
            Value cls = pb.cast(at.get(1), ScalarType.I64);
            Value count = pb.cast(pb.load(keptCount, List.of(bc)), ScalarType.INDEX);
            pb.forRange(pb.index(0), count, pb.index(1), (tb, t) -> {
                Value row = tb.add(a[1], t);
                tb.store(batch, out, List.of(row, tb.index(0)));
                tb.store(cls, out, List.of(row, tb.index(1)));
                tb.store(tb.load(kept, List.of(bc, t)), out, List.of(row, tb.index(2)));
            });
            return pb.add(a[1], count);
        });
        b.store(b.cast(total, ScalarType.I64), cx.extent(0), List.of());
    }

    /** Index 0 of a one-element buffer of any rank. */
    private static List<Value> first(LoopBuilder b, Value buffer) {
        return java.util.Collections.nCopies(((MemRefType) buffer.type()).rank(), b.index(0));
    }

    /** Whether a score passes the threshold ({@code >}, false on NaN); all pass without one. */
    private static Value above(LoopBuilder b, Value score, Value threshold) {
        return threshold == null ? ElementwiseMath.boolConstant(b, score, true) : b.cmp("gt", score, threshold);
    }

    /**
     * An i64 ordered as {@code Double.compare} orders f64 values: the bits with the magnitude
     * flipped for negatives (so {@code -0.0 < 0.0}), every NaN as the canonical NaN (above +inf).
     */
    private static Value orderKey(LoopBuilder b, Value d) {
        Value bits = b.bitcast(d, ScalarType.I64);
        Value sign = b.binary("loop.shr", bits, b.constant((Type) ScalarType.I64, 63L)); // 0 or -1
        Value key = b.binary("loop.xor", bits, b.binary("loop.and", sign,
                b.constant((Type) ScalarType.I64, Long.MAX_VALUE)));
        return b.select(b.isNan(d), b.constant((Type) ScalarType.I64, 0x7ff8000000000000L), key);
    }

    /** The reference's IoU of boxes {@code p} and {@code q} (rows of {@code corners}); 0 for a zero-area box. */
    private static Value iou(LoopBuilder b, Value corners, Value p, Value q) {
        Value[] P = new Value[4];
        Value[] Q = new Value[4];
        for (int k = 0; k < 4; k++) {
            P[k] = b.load(corners, List.of(p, b.index(k)));
            Q[k] = b.load(corners, List.of(q, b.index(k)));
        }
        Value zero = b.constant(ScalarType.F64, 0.0);
        Value areaP = b.mul(b.sub(P[2], P[0]), b.sub(P[3], P[1]));
        Value areaQ = b.mul(b.sub(Q[2], Q[0]), b.sub(Q[3], Q[1]));
        Value h = b.sub(b.min(P[2], Q[2]), b.max(P[0], Q[0]));
        Value w = b.sub(b.min(P[3], Q[3]), b.max(P[1], Q[1]));
        Value inter = b.mul(h, w);
        Value none = b.binary("loop.or", b.binary("loop.or", b.cmp("le", areaP, zero), b.cmp("le", areaQ, zero)),
                b.binary("loop.or", b.cmp("le", h, zero), b.cmp("le", w, zero)));
        return b.select(none, zero, b.div(inter, b.sub(b.add(areaP, areaQ), inter)));
    }
}
