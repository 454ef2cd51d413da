package dev.lathe.passes.lower.ops;

import dev.lathe.passes.lower.Lowerings;

/**
 * Resampling and scattering-by-geometry: resize, grid sampling, RoI align, max unpooling and
 * transposed convolution (see docs/lowering.md). Each op's lowering is its own class here.
 */
public final class ResamplingLowerings {

    private ResamplingLowerings() {}

    public static void register(Lowerings r) {
        r.register("nn.resize", new ResizeLowering());
        r.register("nn.conv_transpose", new ConvTransposeLowering());
        r.register("nn.grid_sample", new GridSampleLowering());
        r.register("nn.roi_align", new RoiAlignLowering());
        r.register("nn.max_unpool", new MaxUnpoolLowering());
    }
}
