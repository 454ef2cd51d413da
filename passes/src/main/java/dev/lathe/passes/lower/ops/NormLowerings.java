package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.Lowerings;
import java.util.List;

/**
 * Normalizations as {@link GroupKernel}s. The variance is always the mean of squared deviations
 * from the mean (a second pass), never {@code E[x^2] - E[x]^2}; the per-element formula keeps the
 * reference's order of operations ({@code (x - mean) * inv * scale + bias}).
 */
final class NormLowerings {

    private NormLowerings() {}

    static void register(Lowerings r) {
        r.register("nn.layer_normalization", NormLowerings::layerNorm);
        r.register("nn.rms_norm", NormLowerings::rmsNorm);
        r.register("nn.instance_normalization", NormLowerings::instanceNorm);
        r.register("nn.batch_normalization", NormLowerings::batchNorm);
        r.register("nn.lp_normalization", NormLowerings::lpNorm);
        r.register("nn.mean_variance_normalization", NormLowerings::meanVarianceNorm);
        r.register("nn.lrn", LrnLowering::lower);
    }

    /** Stage 0: the mean; stage 1: {@code f(variance)}, the variance as the mean of squared deviations. */
    private static GroupKernel meanAndVariance(GroupKernel k, ScalarType ct, GroupKernel.ValueFn ofVariance) {
        long n = k.groupSize();
        double start = GroupKernel.sumStart(n);
        k.stage(GroupKernel.fold("add", ct, start, (b, e) -> e.x(), (b, acc, g) -> b.div(acc, b.constant(acc.type(), (double) n))));
        k.stage(GroupKernel.fold("add", ct, 0.0, (b, e) -> {
            Value d = b.sub(e.x(), e.group().get(0));
            return b.mul(d, d);
        }, (b, acc, g) -> ofVariance.apply(b, b.div(acc, b.constant(acc.type(), (double) n)))));
        return k.flopsPerElement(3);
    }

    /** {@code 1 / sqrt(variance + epsilon)}. */
    private static GroupKernel.ValueFn invStdDev(double epsilon) {
        return (b, v) -> b.div(b.constant(v.type(), 1.0), b.unary("loop.sqrt", b.add(v, b.constant(v.type(), epsilon))));
    }

    private static void layerNorm(KernelContext cx) {
        int rank = cx.inputType(0).rank();
        int axis = ReductionAttrs.axis(cx.op(), "axis", -1, rank);
        double eps = ReductionAttrs.real(cx.op(), "epsilon", 1e-5);
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        Attribute stash = cx.op().attributes().get("stash_type");
        if (stash instanceof TypeAttr t && t.type() == ScalarType.F64) {
            ct = ScalarType.F64;
        }
        GroupKernel k = meanAndVariance(GroupKernel.over(cx, cx.input(0), ReductionAttrs.trailing(rank, axis), ct), ct,
                invStdDev(eps));
        boolean hasBias = cx.numOperands() > 2;
        k.extra(cx.input(1));
        if (hasBias) {
            k.extra(cx.input(2));
        }
        k.elementOutput(cx.output(0), false, (b, e) -> {
            Value y = b.mul(b.mul(b.sub(e.x(), e.group().get(0)), e.group().get(1)), e.extras().get(0));
            return hasBias ? b.add(y, e.extras().get(1)) : y;
        });
        for (int i = 1; i < cx.op().numResults(); i++) {
            int stat = i - 1;
            k.groupOutput(cx.output(i), (b, g) -> g.get(stat));
        }
        k.emit();
    }

    /**
     * {@code nn.rms_norm}: one stage summing squares over the trailing dims into
     * {@code inv = 1 / sqrt(sum / n + epsilon)}, then {@code x * inv * scale} per element (the
     * reference's order). Accumulates in f32 for f32 (the reference uses double), as layer_norm.
     */
    private static void rmsNorm(KernelContext cx) {
        int rank = cx.inputType(0).rank();
        int axis = ReductionAttrs.axis(cx.op(), "axis", -1, rank);
        double eps = ReductionAttrs.real(cx.op(), "epsilon", 1e-5);
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        GroupKernel k = GroupKernel.over(cx, cx.input(0), ReductionAttrs.trailing(rank, axis), ct);
        long n = k.groupSize();
        k.stage(GroupKernel.fold("add", ct, 0.0, (b, e) -> b.mul(e.x(), e.x()),
                (b, acc, g) -> invStdDev(eps).apply(b, b.div(acc, b.constant(acc.type(), (double) n)))));
        k.extra(cx.input(1));
        k.elementOutput(cx.output(0), false, (b, e) -> b.mul(b.mul(e.x(), e.group().get(0)), e.extras().get(0)));
        k.flopsPerElement(4).emit();
    }

    private static void instanceNorm(KernelContext cx) {
        int rank = cx.inputType(0).rank();
        double eps = ReductionAttrs.real(cx.op(), "epsilon", 1e-5);
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        GroupKernel k = meanAndVariance(GroupKernel.over(cx, cx.input(0), ReductionAttrs.trailing(rank, 2), ct), ct,
                invStdDev(eps));
        int[] channel = {1};
        k.extra(cx.input(1), channel).extra(cx.input(2), channel);
        k.elementOutput(cx.output(0), false, (b, e) -> b.add(
                b.mul(b.mul(b.sub(e.x(), e.group().get(0)), e.group().get(1)), e.extras().get(0)), e.extras().get(1)));
        k.emit();
    }

    /**
     * Inference: {@code inv = 1 / sqrt(var + eps)} per channel into scratch first (C square roots,
     * not one per element), then an elementwise pass; the running statistics are the inputs.
     *
     * <p>Training ({@code training_mode = true}): a {@link GroupKernel} over every dim but the
     * channel computes the batch mean and population variance (two passes, as the reference) into
     * scratch; a loop over channels turns them into {@code inv} and the running statistics
     * {@code running * momentum + batch * (1 - momentum)}; then the same elementwise pass as
     * inference with the batch mean. Computed in the element type (f32 for halves) where the
     * interpreter uses f64, as the other normalizations.
     */
    private static void batchNorm(KernelContext cx) {
        boolean training = ReductionAttrs.bool(cx.op(), "training_mode", false);
        int rank = cx.inputType(0).rank();
        double eps = ReductionAttrs.real(cx.op(), "epsilon", 1e-5);
        double momentum = ReductionAttrs.real(cx.op(), "momentum", 0.9);
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        long channels = cx.inputType(0).dim(1);
        LoopBuilder b = cx.builder();
        Value inv = cx.scratch(MemRefType.of(ct, channels));
        Value mean = cx.input(3);
        Value var = cx.input(4);
        if (training) {
            boolean[] notChannel = new boolean[rank];
            java.util.Arrays.fill(notChannel, true);
            notChannel[1] = false;
            mean = cx.scratch(MemRefType.of(ct, channels));
            var = cx.scratch(MemRefType.of(ct, channels));
            meanAndVariance(GroupKernel.over(cx, cx.input(0), notChannel, ct), ct, (vb, v) -> v)
                    .groupOutput(mean, (gb, g) -> g.get(0))
                    .groupOutput(var, (gb, g) -> g.get(1))
                    .emit();
        }
        Value m = mean;
        Value v = var;
        b.forRange(0, channels, 1, (lb, c) -> {
            Value vc = lb.cast(lb.load(v, List.of(c)), ct);
            lb.store(invStdDev(eps).apply(lb, vc), inv, List.of(c));
        });
        for (int i = 1; i < cx.op().numResults(); i++) {
            Value running = cx.input(i + 2);
            Value batch = i == 1 ? m : v;
            Value to = cx.output(i);
            b.forRange(0, channels, 1, (lb, c) -> {
                Value r = lb.load(running, List.of(c));
                if (training) {
                    ScalarType st = LoopBuilder.elementType(running);
                    ScalarType rt = GroupKernel.floatCompute(st);
                    Value old = lb.mul(lb.cast(r, rt), lb.constant(rt, momentum));
                    Value now = lb.mul(lb.cast(lb.load(batch, List.of(c)), rt), lb.constant(rt, 1 - momentum));
                    r = lb.cast(lb.add(old, now), st);
                }
                lb.store(r, to, List.of(c));
            });
        }
        int[] channel = {1};
        GroupKernel k = GroupKernel.over(cx, cx.input(0), new boolean[rank], ct);
        k.extra(cx.input(1), channel).extra(cx.input(2), channel).extra(m, channel).extra(inv, channel);
        k.elementOutput(cx.output(0), false, (eb, e) -> {
            List<Value> p = e.extras();
            return eb.add(eb.mul(eb.mul(eb.sub(e.x(), p.get(2)), p.get(3)), p.get(0)), p.get(1));
        }).flopsPerElement(4).emit();
    }

    private static void lpNorm(KernelContext cx) {
        int rank = cx.inputType(0).rank();
        int axis = ReductionAttrs.axis(cx.op(), "axis", -1, rank);
        boolean l1 = ReductionAttrs.integer(cx.op(), "p", 2) == 1;
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        GroupKernel k = GroupKernel.over(cx, cx.input(0), ReductionAttrs.single(rank, axis), ct);
        k.stage(GroupKernel.fold("add", ct, 0.0, (b, e) -> l1 ? b.unary("loop.abs", e.x()) : b.mul(e.x(), e.x()),
                (b, acc, g) -> l1 ? acc : b.unary("loop.sqrt", acc)));
        k.elementOutput(cx.output(0), false, (b, e) -> b.div(e.x(), e.group().get(0))).emit();
    }

    /** {@code (x - mean) / (sqrt(variance) + 1e-9)}, the epsilon of ONNX's function body. */
    private static void meanVarianceNorm(KernelContext cx) {
        int rank = cx.inputType(0).rank();
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        GroupKernel k = meanAndVariance(GroupKernel.over(cx, cx.input(0), ReductionAttrs.axesMask(cx.op(), rank), ct), ct,
                (b, v) -> b.unary("loop.sqrt", v));
        k.elementOutput(cx.output(0), false, (b, e) -> b.div(b.sub(e.x(), e.group().get(0)),
                b.add(e.group().get(1), b.constant(e.x().type(), 1e-9)))).emit();
    }
}
