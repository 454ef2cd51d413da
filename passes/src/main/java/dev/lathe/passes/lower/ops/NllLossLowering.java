package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nn.negative_log_likelihood_loss}: {@code loss = -weight[t] * input[n, t, d...]} at each
 * target {@code t} (0 where {@code t == ignore_index}). {@code "none"} writes the losses in
 * parallel; {@code "sum"} and {@code "mean"} accumulate the loss and weight sums in one
 * sequential pass (one output element). An out-of-range target asserts and reads class 0..C-1
 * clamped. {@code SoftmaxCrossEntropyLoss} arrives as {@code nn.log_softmax} plus this op.
 */
final class NllLossLowering {

    private NllLossLowering() {}

    static void lower(KernelContext cx) {
        long[] inShape = cx.inputType(0).shapeArray();
        long[] targetShape = cx.inputType(1).shapeArray();
        long classes = inShape[1];
        String reduction = ReductionAttrs.string(cx.op(), "reduction", "mean");
        Attribute ignoreAttr = cx.op().attributes().get("ignore_index");
        Long ignore = ignoreAttr == null ? null : ReductionAttrs.integer(cx.op(), "ignore_index", 0);
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        Value weight = cx.numOperands() > 2 ? cx.input(2) : null;
        Value out = cx.output(0);
        LoopBuilder b = cx.builder();
        long count = cx.inputType(1).numElements();
        String message = "'" + cx.op().name() + "': a target is out of range 0.." + (classes - 1);
        if (reduction.equals("none")) {
            if (count == 0) {
                return;
            }
            int parallelDims = Math.min(1, targetShape.length);
            long grain = ReductionSchedule.grain(cx, targetShape.length == 0 ? 1 : targetShape[0],
                    count / Math.max(1, targetShape.length == 0 ? 1 : targetShape[0]), ct);
            b.parallelEachIndex(targetShape, parallelDims, grain, (pb, idx) -> {
                Value[] lw = lossAndWeight(pb, cx, idx, classes, ignore, weight, ct, message);
                pb.store(pb.cast(lw[0], LoopBuilder.elementType(out)), out, idx);
            });
            return;
        }
        // One total: the losses and the weights used, summed in order (as the reference).
        List<Value> sums = List.of(b.constant(ct, GroupKernel.sumStart(count)), b.constant(ct, 0.0));
        List<Value> totals = nest(b, targetShape, 0, new ArrayList<>(), sums, (ib, idx, acc) -> {
            Value[] lw = lossAndWeight(ib, cx, idx, classes, ignore, weight, ct, message);
            return List.of(ib.select(lw[2], acc.get(0), ib.add(acc.get(0), lw[0])),
                    ib.select(lw[2], acc.get(1), ib.add(acc.get(1), lw[1])));
        });
        Value total = reduction.equals("sum") ? totals.get(0) : b.div(totals.get(0), totals.get(1));
        b.store(b.cast(total, LoopBuilder.elementType(out)), out, List.of());
    }

    /** {@code [loss, weight, ignored]} of the target at {@code idx}. */
    private static Value[] lossAndWeight(LoopBuilder b, KernelContext cx, List<Value> idx, long classes, Long ignore,
            Value weight, ScalarType ct, String message) {
        Value t = b.cast(b.load(cx.input(1), idx), ScalarType.I64);
        Value ignored = ignore == null ? ArgReduceLowering.never(b) : b.cmp("eq", t, i64(b, ignore));
        Value inRange = b.binary("loop.and", b.cmp("ge", t, i64(b, 0)),
                b.cmp("lt", t, i64(b, classes)));
        b.assertTrue(b.binary("loop.or", ignored, inRange), message);
        Value cls = b.cast(b.min(b.max(t, i64(b, 0)), i64(b, classes - 1)),
                ScalarType.INDEX);
        List<Value> at = new ArrayList<>();
        at.add(idx.get(0));
        at.add(cls);
        at.addAll(idx.subList(1, idx.size()));
        Value x = b.cast(b.load(cx.input(0), at), ct);
        Value w = weight == null ? b.constant(ct, 1.0) : b.cast(b.load(weight, List.of(cls)), ct);
        Value zero = b.constant(ct, 0.0);
        Value loss = b.select(ignored, zero, b.unary("loop.neg", b.mul(w, x)));
        return new Value[] {loss, b.select(ignored, zero, w), ignored};
    }

    private static Value i64(LoopBuilder b, long v) {
        return b.constant((dev.lathe.ir.type.Type) ScalarType.I64, v);
    }

    @FunctionalInterface
    private interface Body {
        List<Value> apply(LoopBuilder b, List<Value> idx, List<Value> acc);
    }

    private static List<Value> nest(LoopBuilder b, long[] shape, int d, List<Value> idx, List<Value> acc, Body body) {
        if (d == shape.length) {
            return body.apply(b, List.copyOf(idx), acc);
        }
        return b.forRange(b.index(0), b.index(shape[d]), b.index(1), acc, (ib, iv, c) -> {
            idx.add(iv);
            List<Value> r = nest(ib, shape, d + 1, idx, c, body);
            idx.remove(idx.size() - 1);
            return r;
        });
    }
}
