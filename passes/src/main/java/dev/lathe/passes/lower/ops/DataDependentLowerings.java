package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.Lowerings;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.List;

/**
 * Ops whose output shape depends on tensor data, written into a static upper bound with the
 * actual extent beside it (docs/lowering.md#data-dependent-shapes):
 * <ul>
 *   <li>{@code nn.non_zero}: bound {@code [rank, numel]}; one sequential pass in row-major
 *       order (the reference's order) appending each nonzero element's coordinates (NaN counts
 *       as nonzero: {@code cmp ne} is unordered);</li>
 *   <li>{@code nn.compress}: bound with the axis at {@code min(len(condition), dim)} (the
 *       flattened input without {@code axis}); a sequential pass over the condition collects the
 *       kept positions into scratch, then a copy, parallel over the dims before the axis.</li>
 * </ul>
 * {@code nn.unique} and {@code nn.non_max_suppression} live in their own classes.
 */
final class DataDependentLowerings {

    private DataDependentLowerings() {}

    static void register(Lowerings r) {
        r.register("nn.non_zero", bounded(DataDependentLowerings::nonZero, (op, i) -> {
            TensorType x = (TensorType) op.operand(0).type();
            return TensorType.of(ScalarType.I64, x.rank(), x.numElements());
        }));
        r.register("nn.compress", bounded(DataDependentLowerings::compress, (op, i) -> {
            long[] shape = compressedShape(op);
            shape[compressAxis(op)] = Math.min(shape[compressAxis(op)], ((TensorType) op.operand(1).type()).numElements());
            return TensorType.of(((TensorType) op.operand(0).type()).elementType(), shape);
        }));
        r.register("nn.unique", new UniqueLowering());
        r.register("nn.non_max_suppression", new NonMaxSuppressionLowering());
    }

    @FunctionalInterface
    interface Bound {
        TensorType of(Operation op, int result);
    }

    /** A lowering whose results are bounded by {@code bound}. */
    static OpLowering bounded(OpLowering body, Bound bound) {
        return new OpLowering() {
            @Override
            public void lower(KernelContext cx) {
                body.lower(cx);
            }

            @Override
            public TensorType resultBound(Operation op, int result) {
                return bound.of(op, result);
            }
        };
    }

    /** {@code v != 0} in {@code v}'s type (true for NaN). */
    static Value nonZero(LoopBuilder b, Value v) {
        ScalarType et = (ScalarType) v.type();
        if (et == ScalarType.I1) {
            return v;
        }
        Value zero = et.isFloat() ? b.constant(et, 0.0) : b.constant((Type) et, 0L);
        return b.cmp("ne", v, zero);
    }

    private static void nonZero(KernelContext cx) {
        Value x = cx.input(0);
        long[] shape = CopyLowerings.shape(x);
        long n = ((MemRefType) x.type()).numElements();
        LoopBuilder b = cx.builder();
        Value count = b.forRange(0, n, 1, b.index(0), (lb, a) -> {
            List<Value> at = lb.delinearize(a[0], shape);
            Value hit = nonZero(lb, lb.load(x, at));
            lb.ifThen(hit, tb -> {
                for (int d = 0; d < shape.length; d++) {
                    tb.store(tb.cast(at.get(d), ScalarType.I64), cx.output(0), List.of(tb.index(d), a[1]));
                }
            });
            return lb.add(a[1], lb.select(hit, lb.index(1), lb.index(0)));
        });
        b.store(b.cast(count, ScalarType.I64), cx.extent(0), List.of());
    }

    /** The input's shape as compress sees it: flattened without {@code axis}. */
    private static long[] compressedShape(Operation op) {
        TensorType x = (TensorType) op.operand(0).type();
        return op.attributes().containsKey("axis") ? x.shapeArray() : new long[] {x.numElements()};
    }

    private static int compressAxis(Operation op) {
        int rank = compressedShape(op).length;
        return op.attributes().containsKey("axis") ? ShapeAttrs.axis(ShapeAttrs.integer(op, "axis", 0), rank) : 0;
    }

    private static void compress(KernelContext cx) {
        Value x = cx.input(0);
        Value cond = cx.input(1);
        long[] xShape = CopyLowerings.shape(x);
        long[] shape = compressedShape(cx.op());
        int axis = compressAxis(cx.op());
        long len = ((MemRefType) cond.type()).numElements();
        if (len > shape[axis]) {
            throw cx.unsupported("a condition of " + len + " elements for a dimension of " + shape[axis]
                    + " (an error in the reference)");
        }
        LoopBuilder b = cx.builder();
        Value kept = cx.scratch(MemRefType.of(ScalarType.I64, Math.max(1, len)));
        Value count = b.forRange(0, len, 1, b.index(0), (lb, a) -> {
            Value hit = nonZero(lb, lb.load(cond, List.of(a[0])));
            lb.ifThen(hit, tb -> tb.store(tb.cast(a[0], ScalarType.I64), kept, List.of(a[1])));
            return lb.add(a[1], lb.select(hit, lb.index(1), lb.index(0)));
        });
        b.store(b.cast(count, ScalarType.I64), cx.extent(0), List.of());
        long[] outer = java.util.Arrays.copyOfRange(shape, 0, axis);
        long[] inner = java.util.Arrays.copyOfRange(shape, axis + 1, shape.length);
        boolean flat = xShape.length != shape.length;
        b.parallelEachIndex(outer, outer.length, 1, (pb, o) -> pb.forRange(pb.index(0), count, pb.index(1), (jb, j) -> {
            Value src = jb.cast(jb.load(kept, List.of(j)), ScalarType.INDEX);
            jb.forEachIndex(inner, (ib, in) -> {
                List<Value> from = new ArrayList<>(o);
                from.add(src);
                from.addAll(in);
                List<Value> to = new ArrayList<>(o);
                to.add(j);
                to.addAll(in);
                List<Value> xAt = flat ? ib.delinearize(src, xShape) : from;
                ib.store(ib.load(x, xAt), cx.output(0), to);
            });
        }));
    }
}
