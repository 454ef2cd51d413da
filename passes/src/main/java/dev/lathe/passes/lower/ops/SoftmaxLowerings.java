package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.Lowerings;

/**
 * {@code nn.softmax}, {@code nn.log_softmax}, {@code nn.hardmax} as {@link GroupKernel}s over the
 * op's {@code axes}. Softmax is stable: the group max first, then the sum of {@code exp(x - max)},
 * then {@code exp(x - max) / sum} per element (three passes; exp is recomputed rather than
 * stored so an f16 result is rounded once). Hardmax is an arg-max stage (first maximum, NaN
 * counts as the maximum) and a 1 where the position matches.
 */
final class SoftmaxLowerings {

    private SoftmaxLowerings() {}

    static void register(Lowerings r) {
        r.register("nn.softmax", cx -> softmax(cx, false));
        r.register("nn.log_softmax", cx -> softmax(cx, true));
        r.register("nn.hardmax", SoftmaxLowerings::hardmax);
    }

    private static GroupKernel kernel(KernelContext cx) {
        int rank = cx.inputType(0).rank();
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        return GroupKernel.over(cx, cx.input(0), ReductionAttrs.axesMask(cx.op(), rank), ct);
    }

    private static void softmax(KernelContext cx, boolean log) {
        GroupKernel k = kernel(cx);
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        k.stage(GroupKernel.fold("max", ct, Double.NEGATIVE_INFINITY, (b, e) -> e.x(), (b, acc, g) -> acc));
        k.stage(GroupKernel.fold("add", ct, GroupKernel.sumStart(k.groupSize()),
                (b, e) -> b.unary("loop.exp", b.sub(e.x(), e.group().get(0))),
                (b, acc, g) -> log ? b.unary("loop.log", acc) : acc));
        k.flopsPerElement(20).elementOutput(cx.output(0), false, (b, e) -> {
            Value shifted = b.sub(e.x(), e.group().get(0));
            return log ? b.sub(shifted, e.group().get(1)) : b.div(b.unary("loop.exp", shifted), e.group().get(1));
        }).emit();
    }

    private static void hardmax(KernelContext cx) {
        GroupKernel k = kernel(cx);
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        k.stage(ArgReduceLowering.stage(true, false, ct));
        k.elementOutput(cx.output(0), true, (b, e) -> {
            Value best = e.group().get(0);
            Value pos = b.cast(e.pos(), ScalarType.I64);
            if (best.type() instanceof VectorType v) {
                pos = b.broadcast(pos, v.length());
            }
            return b.select(b.cmp("eq", pos, best), b.constant(e.x().type(), 1.0), b.constant(e.x().type(), 0.0));
        }).emit();
    }
}
