package dev.lathe.passes.lower.ops;

import dev.lathe.passes.lower.Lowerings;

/**
 * Lowerings of the shape and data-movement {@code nn} ops (see docs/lowering.md): views, affine
 * copies, gathers and scatters, padding, generated tensors and running sums, one group per class.
 */
public final class DataMovementLowerings {

    private DataMovementLowerings() {}

    public static void register(Lowerings r) {
        ViewLowerings.register(r);
        CopyLowerings.register(r);
        GatherLowerings.register(r);
        ScatterLowerings.register(r);
        FillLowerings.register(r);
        ScanLowerings.register(r);
        DataDependentLowerings.register(r);
        r.register("nn.pad", new PadLowering());
    }
}
