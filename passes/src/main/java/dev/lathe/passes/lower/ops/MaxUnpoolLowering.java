package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code nn.max_unpool}: a zero tensor with each {@code x} element written at its flat index
 * (from {@code indices}) into the natural unpooled shape {@code (in - 1) * stride - pads + kernel},
 * which a larger result shape pads at the end of each dim, as {@code MaxUnpoolOp} defines it.
 * The dynamic form's {@code output_shape} operand is a constant operand (canonicalization makes
 * it the attribute once frozen).
 *
 * <p>Schedule: the zero fill runs in parallel over the result's rows; the scatter runs in
 * row-major order on one thread, so of two elements naming one index the later wins, as in the
 * reference (indices may point anywhere in the result, so no split is safe in general). An index
 * outside the natural shape, or a position the result cannot hold, fails the call (the
 * reference throws) and is clamped.
 */
final class MaxUnpoolLowering implements OpLowering {

    @Override
    public Set<Integer> constantOperands(Operation op) {
        return op.numOperands() > 2 ? Set.of(2) : Set.of();
    }

    @Override
    public void lower(KernelContext cx) {
        if (cx.numOperands() > 2) {
            throw cx.unsupported("an output_shape operand that canonicalization did not make an attribute");
        }
        Value x = cx.input(0);
        Value indices = cx.input(1);
        Value y = cx.output(0);
        MemRefType xt = (MemRefType) x.type();
        MemRefType yt = (MemRefType) y.type();
        long[] shape = yt.shapeArray();
        long[] natural = naturalShape(cx.op(), xt.shapeArray());
        LoopBuilder b = cx.builder();
        long total = yt.numElements();
        if (total == 0) {
            return;
        }
        long rows = total / shape[shape.length - 1];
        Value zero = b.constant(yt.elementType(), 0.0);
        b.parallelEachIndex(shape, shape.length - 1, Parallelism.grain(rows, Parallelism.tasks(cx, total, yt.elementType(), 0)),
                (zb, pos) -> zb.store(zero, y, pos));
        long naturalSize = Window.product(natural);
        boolean fits = true;
        for (int d = 0; d < shape.length; d++) {
            fits &= natural[d] <= shape[d];
        }
        boolean allFit = fits;
        b.forEachIndex(xt.shapeArray(), (sb, pos) -> {
            Value at = sb.load(indices, pos);
            sb.assertTrue(sb.binary("loop.and", sb.cmp("ge", at, i64(sb, 0)), sb.cmp("lt", at, i64(sb, naturalSize))),
                    "nn.max_unpool: an index is outside the unpooled shape " + Arrays.toString(natural));
            Value flat = IndexChecks.clamp(sb, sb.cast(at, ScalarType.INDEX), 0, naturalSize - 1);
            List<Value> target = new ArrayList<>(sb.delinearize(flat, natural));
            if (!allFit) {
                Value ok = null;
                for (int d = 0; d < shape.length; d++) {
                    Value in = sb.cmp("lt", target.get(d), sb.index(shape[d]));
                    ok = ok == null ? in : sb.binary("loop.and", ok, in);
                    target.set(d, IndexChecks.clamp(sb, target.get(d), 0, shape[d] - 1));
                }
                sb.assertTrue(ok, "nn.max_unpool: the output shape " + Arrays.toString(shape)
                        + " is smaller than the unpooled " + Arrays.toString(natural));
            }
            sb.store(sb.load(x, pos), y, target);
        });
    }

    /** {@code [N, C, (in - 1) * stride - pad_begin - pad_end + kernel ...]}. */
    private static long[] naturalShape(Operation op, long[] in) {
        int n = in.length - 2;
        long[] kernel = Window.longs(op, "kernel_shape", n, 1);
        long[] strides = Window.longs(op, "strides", n, 1);
        long[] pads = Window.longs(op, "pads", 2 * n, 0);
        long[] out = in.clone();
        for (int d = 0; d < n; d++) {
            out[d + 2] = (in[d + 2] - 1) * strides[d] - pads[d] - pads[d + n] + kernel[d];
        }
        return out;
    }

    private static Value i64(LoopBuilder b, long v) {
        return b.constant((Type) ScalarType.I64, v);
    }
}
