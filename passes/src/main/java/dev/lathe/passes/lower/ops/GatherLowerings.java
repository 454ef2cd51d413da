package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.Lowerings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nn.gather}, {@code nn.gather_elements}, {@code nn.gather_nd}: indices are read at run
 * time, normalized, asserted in range and clamped ({@link IndexChecks}). Gather and GatherND
 * read one index (tuple) per parallel iteration and then copy a contiguous block of the trailing
 * dims in vectors; GatherElements reads one index per element.
 */
final class GatherLowerings {

    private GatherLowerings() {}

    static void register(Lowerings r) {
        r.register("nn.gather", GatherLowerings::gather);
        r.register("nn.gather_elements", GatherLowerings::gatherElements);
        r.register("nn.gather_nd", GatherLowerings::gatherNd);
    }

    /** out[o..., i..., t...] = data[o..., norm(indices[i...]), t...]. */
    private static void gather(KernelContext cx) {
        Value data = cx.input(0);
        Value indices = cx.input(1);
        long[] d = CopyLowerings.shape(data);
        long[] idx = CopyLowerings.shape(indices);
        int axis = ShapeAttrs.axis(ShapeAttrs.integer(cx.op(), "axis", 0), d.length);
        long[] space = new long[axis + idx.length];
        System.arraycopy(d, 0, space, 0, axis);
        System.arraycopy(idx, 0, space, axis, idx.length);
        long[] tail = Arrays.copyOfRange(d, axis + 1, d.length);
        blocks(cx, space, tail, (b, ivs) -> {
            Value raw = b.load(indices, ivs.subList(axis, ivs.size()));
            List<Value> src = new ArrayList<>(ivs.subList(0, axis));
            src.add(IndexChecks.normalized(b, raw, d[axis], "index"));
            return src;
        });
    }

    /** out[j] = data[j with j[axis] replaced by norm(indices[j])]. */
    private static void gatherElements(KernelContext cx) {
        Value data = cx.input(0);
        Value indices = cx.input(1);
        long[] d = CopyLowerings.shape(data);
        long[] out = CopyLowerings.shape(cx.output(0));
        int axis = ShapeAttrs.axis(ShapeAttrs.integer(cx.op(), "axis", 0), d.length);
        for (int k = 0; k < d.length; k++) {
            if (k != axis && out[k] > d[k]) {
                throw cx.unsupported("indices reach beyond data in dim " + k + " (an error in the reference)");
            }
        }
        blocks(cx, out, new long[0], (b, ivs) -> {
            List<Value> src = new ArrayList<>(ivs);
            src.set(axis, IndexChecks.normalized(b, b.load(indices, ivs), d[axis], "index"));
            return src;
        });
    }

    /** out[i..., t...] = data[batch..., norm(indices[i..., 0..k-1])..., t...]. */
    private static void gatherNd(KernelContext cx) {
        Value data = cx.input(0);
        Value indices = cx.input(1);
        long[] d = CopyLowerings.shape(data);
        long[] idx = CopyLowerings.shape(indices);
        int batch = (int) ShapeAttrs.integer(cx.op(), "batch_dims", 0);
        int k = (int) idx[idx.length - 1];
        long[] space = Arrays.copyOf(idx, idx.length - 1);
        long[] tail = Arrays.copyOfRange(d, batch + k, d.length);
        blocks(cx, space, tail, (b, ivs) -> {
            List<Value> src = new ArrayList<>(ivs.subList(0, batch));
            for (int i = 0; i < k; i++) {
                List<Value> at = new ArrayList<>(ivs);
                at.add(b.index(i));
                src.add(IndexChecks.normalized(b, b.load(indices, at), d[batch + i], "index"));
            }
            return src;
        });
    }

    /** The source position of a block, computed from the parallel loops' indices. */
    @FunctionalInterface
    interface SourcePrefix {
        List<Value> apply(LoopBuilder b, List<Value> ivs);
    }

    /** Parallel over {@code space}; each point copies the {@code tail} block from data to out[ivs...]. */
    static void blocks(KernelContext cx, long[] space, long[] tail, SourcePrefix source) {
        Value out = cx.output(0);
        MemRefType t = (MemRefType) out.type();
        if (t.numElements() == 0) {
            return;
        }
        ScalarType et = t.elementType();
        long block = 1;
        for (long s : tail) {
            block *= s;
        }
        long points = t.numElements() / Math.max(1, block);
        long tasks = Parallelism.tasks(cx, t.numElements(), et, 2);
        int lanes = tail.length == 0 ? 1 : AffineCopy.lanes(cx, et, tail[tail.length - 1]);
        LoopBuilder b = cx.builder();
        if (space.length == 0) {
            BlockCopy.copy(b, cx.input(0), source.apply(b, List.of()), out, List.of(), tail, lanes, null);
            return;
        }
        // single elements: the last loop runs sequentially inside each task
        int parallelDims = tail.length == 0 && space.length > 1 ? space.length - 1 : space.length;
        long iterations = points;
        for (int i = parallelDims; i < space.length; i++) {
            iterations /= Math.max(1, space[i]);
        }
        b.parallelEachIndex(space, parallelDims, Parallelism.grain(iterations, tasks), (pb, ivs) -> BlockCopy.copy(pb,
                cx.input(0), source.apply(pb, ivs), out, ivs, tail, lanes, null));
    }
}
