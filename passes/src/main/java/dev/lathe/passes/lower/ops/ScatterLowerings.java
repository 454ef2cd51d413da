package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.Lowerings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nn.scatter_elements} and {@code nn.scatter_nd}: the result starts as a copy of
 * {@code data}, then updates are written (or combined) in the reference's row-major order, so
 * duplicates resolve as in the interpreter (the last wins; reductions apply in order). Float
 * reductions of f16/bf16 run in f32, which rounds a single add/mul/min/max exactly as the
 * reference's double does.
 */
final class ScatterLowerings {

    private ScatterLowerings() {}

    static void register(Lowerings r) {
        r.register("nn.scatter_elements", ScatterLowerings::scatterElements);
        r.register("nn.scatter_nd", ScatterLowerings::scatterNd);
    }

    private static void copyData(KernelContext cx) {
        AffineCopy.emit(cx, CopyLowerings.shape(cx.output(0)), AffineAccess.identity(cx.input(0)),
                AffineAccess.identity(cx.output(0)));
    }

    /**
     * Updates that differ in a coordinate other than {@code axis} never meet, so every other dim
     * runs in parallel and only the axis dim runs in order (which keeps the row-major order of the
     * updates that can collide).
     */
    private static void scatterElements(KernelContext cx) {
        copyData(cx);
        Value indices = cx.input(1);
        Value updates = cx.input(2);
        Value out = cx.output(0);
        long[] d = CopyLowerings.shape(out);
        long[] u = CopyLowerings.shape(updates);
        int axis = ShapeAttrs.axis(ShapeAttrs.integer(cx.op(), "axis", 0), d.length);
        BlockCopy.Combine combine = combine(cx);
        long total = 1;
        for (long s : u) {
            total *= s;
        }
        if (total == 0) {
            return;
        }
        long[] others = new long[d.length - 1];
        for (int k = 0, j = 0; k < d.length; k++) {
            if (k != axis) {
                others[j++] = u[k];
            }
        }
        long iterations = total / u[axis];
        long tasks = Parallelism.tasks(cx, total, LoopBuilder.elementType(out), 2);
        cx.builder().parallelEachIndex(others, others.length, Parallelism.grain(iterations, tasks), (pb, ivs) ->
                pb.forRange(0, u[axis], 1, (b, a) -> {
                    List<Value> at = new ArrayList<>(ivs);
                    at.add(axis, a);
                    Value target = IndexChecks.normalized(b, b.load(indices, at), d[axis], "index");
                    List<Value> dst = new ArrayList<>(at);
                    dst.set(axis, target);
                    Value v = b.load(updates, at);
                    b.store(combine == null ? v : combine.apply(b, b.load(out, dst), v), out, dst);
                }));
    }

    /** Tuples in order (any two may collide); each moves a block of the trailing dims in vectors. */
    private static void scatterNd(KernelContext cx) {
        copyData(cx);
        Value indices = cx.input(1);
        Value updates = cx.input(2);
        Value out = cx.output(0);
        long[] d = CopyLowerings.shape(out);
        long[] idx = CopyLowerings.shape(indices);
        int k = (int) idx[idx.length - 1];
        long[] tuples = Arrays.copyOf(idx, idx.length - 1);
        long[] tail = Arrays.copyOfRange(d, k, d.length);
        BlockCopy.Combine combine = combine(cx);
        ScalarType et = LoopBuilder.elementType(out);
        int lanes = tail.length == 0 ? 1 : AffineCopy.lanes(cx, et, tail[tail.length - 1]);
        cx.builder().forEachIndex(tuples, (b, ivs) -> {
            List<Value> dst = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                List<Value> at = new ArrayList<>(ivs);
                at.add(b.index(i));
                dst.add(IndexChecks.normalized(b, b.load(indices, at), d[i], "index"));
            }
            BlockCopy.copy(b, updates, ivs, out, dst, tail, lanes, combine);
        });
    }

    /** The reduction as a combine of old and update values (scalars or vectors); null for none. */
    private static BlockCopy.Combine combine(KernelContext cx) {
        String reduction = ShapeAttrs.string(cx.op(), "reduction", "none");
        String opName = switch (reduction) {
            case "none" -> null;
            case "add" -> "loop.add";
            case "mul" -> "loop.mul";
            case "max" -> "loop.max";
            case "min" -> "loop.min";
            default -> throw cx.unsupported("reduction '" + reduction + "'");
        };
        if (opName == null) {
            return null;
        }
        return (b, old, update) -> {
            ScalarType et = VectorType.scalarOf(old.type());
            if (et == ScalarType.F16 || et == ScalarType.BF16) {
                return b.cast(b.binary(opName, b.cast(old, ScalarType.F32), b.cast(update, ScalarType.F32)), et);
            }
            return b.binary(opName, old, update);
        };
    }

    static MemRefType type(Value v) {
        return (MemRefType) v.type();
    }
}
