package dev.lathe.passes.lower.ops;

import dev.lathe.passes.lower.KernelContext;

/**
 * {@code nn.slice}: ONNX Slice as an affine copy, {@code out[i] = x[start + i·step]} per dim.
 * Starts and steps come from the attributes or the constant operands; bounds are normalized and
 * clamped as {@code SliceOp} does (negatives from the end; {@code [0, dim]} for positive steps,
 * {@code [-1, dim-1]} for negative ones).
 */
final class SliceLowering {

    private SliceLowering() {}

    static void lower(KernelContext cx) {
        long[] in = CopyLowerings.shape(cx.input(0));
        long[] out = CopyLowerings.shape(cx.output(0));
        long[] starts = ShapeAttrs.longsOrOperand(cx, "starts", 1);
        long[] ends = ShapeAttrs.longsOrOperand(cx, "ends", 2);
        long[] axes = ShapeAttrs.longsOrOperand(cx, "axes", 3);
        long[] steps = ShapeAttrs.longsOrOperand(cx, "steps", 4);
        if (starts == null || ends == null) {
            throw cx.unsupported("needs starts and ends as attributes or constant operands");
        }
        int rank = in.length;
        long[] start = new long[rank];
        long[] step = new long[rank];
        java.util.Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int axis = ShapeAttrs.axis(axes == null ? i : axes[i], rank);
            step[axis] = steps == null ? 1 : steps[i];
            if (step[axis] == 0) {
                throw cx.unsupported("slice step 0 on axis " + axis + " (an error in the reference)");
            }
            start[axis] = in[axis] == 0 ? 0 : clampedStart(starts[i], step[axis], in[axis]);
        }
        AffineAccess src = AffineAccess.of(cx.input(0), rank);
        for (int d = 0; d < rank; d++) {
            if (out[d] > 0) {
                src.offset(d, start[d]).term(d, d, step[d]);
            }
        }
        AffineCopy.emit(cx, out, src, AffineAccess.identity(cx.output(0)));
    }

    private static long clampedStart(long start, long step, long dim) {
        start = start < 0 ? start + dim : start;
        return step > 0 ? Math.clamp(start, 0, dim) : Math.clamp(start, 0, dim - 1);
    }
}
