package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Writes a buffer whose elements are a function of their coordinates (ranges, windows, masks, fills). */
final class Generate {

    /** The element at {@code ivs} (a scalar of the buffer's element type). */
    @FunctionalInterface
    interface Element {
        Value apply(LoopBuilder b, List<Value> ivs);
    }

    private Generate() {}

    /** {@code out[ivs] = f(ivs)}: the outer dims in parallel, the last dim in order inside. */
    static void each(KernelContext cx, Value out, Element f) {
        MemRefType t = (MemRefType) out.type();
        long n = t.numElements();
        if (n == 0) {
            return;
        }
        long[] shape = t.shapeArray();
        LoopBuilder b = cx.builder();
        if (shape.length == 0) {
            b.store(f.apply(b, List.of()), out, List.of());
            return;
        }
        int parallelDims = shape.length == 1 ? 1 : shape.length - 1;
        long iterations = 1;
        for (int d = 0; d < parallelDims; d++) {
            iterations *= shape[d];
        }
        long tasks = Parallelism.tasks(cx, n, t.elementType(), 0);
        b.parallelEachIndex(shape, parallelDims, Parallelism.grain(iterations, tasks),
                (pb, ivs) -> pb.store(f.apply(pb, ivs), out, ivs));
    }

    /** Every element of {@code out} set to the scalar {@code value}, in vectors along the last dim. */
    static void fill(KernelContext cx, Value out, Value value) {
        MemRefType t = (MemRefType) out.type();
        long n = t.numElements();
        if (n == 0) {
            return;
        }
        long[] shape = t.shapeArray();
        LoopBuilder b = cx.builder();
        if (shape.length == 0) {
            b.store(value, out, List.of());
            return;
        }
        long inner = shape[shape.length - 1];
        int lanes = AffineCopy.lanes(cx, t.elementType(), inner);
        long rows = n / inner;
        long tasks = Parallelism.tasks(cx, n, t.elementType(), 0);
        long[] outer = Arrays.copyOf(shape, shape.length - 1);
        b.parallelEachIndex(outer, outer.length, Parallelism.grain(rows, tasks), (pb, ivs) -> {
            long vectorEnd = lanes > 1 ? inner / lanes * lanes : 0;
            if (vectorEnd > 0) {
                Value splat = pb.broadcast(value, lanes);
                pb.forRange(0, vectorEnd, lanes, (vb, j) -> vb.vstore(splat, out, with(ivs, j)));
            }
            if (vectorEnd < inner) {
                pb.forRange(vectorEnd, inner, 1, (sb, j) -> sb.store(value, out, with(ivs, j)));
            }
        });
    }

    static List<Value> with(List<Value> prefix, Value last) {
        List<Value> out = new ArrayList<>(prefix);
        out.add(last);
        return out;
    }
}
