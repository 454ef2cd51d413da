package dev.lathe.passes.lower.ops;

import dev.lathe.passes.lower.Lowerings;

/**
 * Reductions, softmax, normalizations, losses, top-k, determinants and attention (see
 * docs/lowering.md). Most are {@link GroupKernel}s: passes over the groups of elements that
 * differ only in the reduced dims.
 */
public final class ReductionLowerings {

    private ReductionLowerings() {}

    public static void register(Lowerings r) {
        ReduceLowering.register(r);
        r.register("nn.arg_max", new ArgReduceLowering(true));
        r.register("nn.arg_min", new ArgReduceLowering(false));
        SoftmaxLowerings.register(r);
        NormLowerings.register(r);
        r.register("nn.negative_log_likelihood_loss", NllLossLowering::lower);
        r.register("nn.top_k", new TopKLowering());
        r.register("nn.det", DetLowering::lower);
        r.register("nn.attention", AttentionLowering::lower);
    }
}
