package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.ResizeOp;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.resize} (static form): nearest, linear and cubic resampling with every coordinate
 * transformation of {@link ResizeOp}. The dynamic form's target and roi are constant operands:
 * the CPU backend freezes them and canonicalization ({@code ResizeTargetToAttributes}) turns
 * them into the attributes, which makes the result type static.
 *
 * <p>Schedule: first, per resized axis, a table of taps for every result index along it
 * ({@link AxisTaps}: clamped input indices, a crop-and-resize "outside" flag, linear/cubic
 * weights) in the interpreter's f64 arithmetic, in scratch. Axes that map every index to itself
 * are skipped. Then threads split the result's rows (all dims but the last); a row loads its
 * axes' taps once, the last dim's are loaded per element. Each element is the nested weighted
 * sum over the taps of each axis in {@code axes} order, the first axis outermost, exactly as the
 * reference's axis-by-axis passes (last axis first) nest it, accumulated in f64 like the
 * reference and rounded once. Nearest is a plain gather (any element type).
 */
final class ResizeLowering implements OpLowering {

    /** A resized axis: its dim and its tables (weights null for nearest). */
    private record Axis(int dim, Value index, Value weight) {

        /** The taps of result index {@code at} along this axis, loaded from the tables. */
        Bound bind(LoopBuilder b, Value at, int taps, boolean crop) {
            Value[] idx = new Value[taps];
            Value[] w = weight == null ? null : new Value[taps];
            for (int t = 0; t < taps; t++) {
                List<Value> pos = List.of(at, b.index(t));
                idx[t] = b.cast(b.load(index, pos), ScalarType.INDEX);
                if (w != null) {
                    w[t] = b.load(weight, pos);
                }
            }
            Value outside = crop ? b.cmp("ne", b.load(index, List.of(at, b.index(taps))),
                    b.constant((dev.lathe.ir.type.Type) ScalarType.I64, 0L)) : null;
            return new Bound(dim, idx, w, outside);
        }
    }

    /** One axis' taps at one result index: input indices, weights, and the crop-and-resize "outside" flag. */
    private record Bound(int dim, Value[] index, Value[] weight, Value outside) {}

    @Override
    public Set<Integer> constantOperands(Operation op) {
        Set<Integer> out = new HashSet<>();
        for (int i = 1; i < op.numOperands(); i++) {
            out.add(i); // roi and scales/sizes: their values decide the result shape
        }
        return out;
    }

    @Override
    public void lower(KernelContext cx) {
        if (cx.numOperands() > 1) {
            throw cx.unsupported("a target or roi operand that canonicalization did not make an attribute");
        }
        Value x = cx.input(0);
        Value y = cx.output(0);
        MemRefType xt = (MemRefType) x.type();
        MemRefType yt = (MemRefType) y.type();
        ResizeOp.Plan plan = ResizeOp.plan(cx.op().attributes(), xt.shapeArray());
        long total = yt.numElements();
        if (total == 0) {
            return;
        }
        boolean nearest = plan.mode().equals("nearest");
        int taps = nearest ? 1 : plan.mode().equals("linear") ? 2 : 4;
        LoopBuilder b = cx.builder();
        List<Axis> axes = tables(cx, plan, taps);
        long[] shape = yt.shapeArray();
        int last = shape.length - 1;
        long[] lead = Arrays.copyOf(shape, last);
        long rows = Window.product(lead);
        long work = total * (long) Math.pow(taps, axes.size()) * 2;
        long grain = WorkSplit.grain(rows, WorkSplit.tasks(cx, rows, work));
        boolean crop = plan.transform().equals("tf_crop_and_resize");
        b.parallel(0, rows, 1, grain, (rb, flat) -> {
            List<Value> leadPos = last == 0 ? List.of() : rb.delinearize(flat, lead);
            // taps of the row's axes once per row: loads cannot be hoisted past the stores by LLVM (no noalias)
            Map<Integer, Bound> bound = new HashMap<>();
            for (Axis a : axes) {
                if (a.dim() != last) {
                    bound.put(a.dim(), a.bind(rb, leadPos.get(a.dim()), taps, crop));
                }
            }
            rb.forRange(0, shape[last], 1, (eb, j) -> {
                List<Value> pos = new ArrayList<>(leadPos);
                pos.add(j);
                List<Bound> all = new ArrayList<>();
                for (Axis a : axes) {
                    all.add(a.dim() == last ? a.bind(eb, j, taps, crop) : bound.get(a.dim()));
                }
                Value v = nearest ? gather(eb, x, all, pos) : sum(eb, x, all, 0, pos);
                if (crop && !all.isEmpty()) {
                    Value outside = all.stream().map(Bound::outside).reduce((p, q) -> eb.binary("loop.or", p, q)).get();
                    v = eb.select(outside, eb.constant((ScalarType) v.type(), plan.extrapolation()), v);
                }
                eb.store(eb.cast(v, yt.elementType()), y, pos);
            });
        });
    }

    /** Fills the taps table of every resized axis that is not the identity. */
    private static List<Axis> tables(KernelContext cx, ResizeOp.Plan plan, int taps) {
        MemRefType xt = (MemRefType) cx.input(0).type();
        MemRefType yt = (MemRefType) cx.output(0).type();
        List<Axis> axes = new ArrayList<>();
        for (int i = 0; i < plan.axes().length; i++) {
            int d = plan.axes()[i];
            AxisTaps tables = new AxisTaps(plan, i, xt.dim(d), taps);
            if (tables.isIdentity()) {
                continue;
            }
            Value index = cx.scratch(MemRefType.of(ScalarType.I64, yt.dim(d), taps + 1));
            Value weight = taps == 1 ? null : cx.scratch(MemRefType.of(ScalarType.F64, yt.dim(d), taps));
            tables.emit(cx.builder(), index, weight);
            axes.add(new Axis(d, index, weight));
        }
        return axes;
    }

    /** Nearest: one input element at the resized coordinates. */
    private static Value gather(LoopBuilder b, Value x, List<Bound> axes, List<Value> pos) {
        List<Value> src = new ArrayList<>(pos);
        for (Bound a : axes) {
            src.set(a.dim(), a.index()[0]);
        }
        return b.load(x, src);
    }

    /**
     * Level {@code i} of the nested sum: {@code v = 0; v += w[t] * level(i + 1)} over the taps of
     * axis {@code i}, the reference's order; past the last axis, the input element in f64.
     */
    private static Value sum(LoopBuilder b, Value x, List<Bound> axes, int i, List<Value> src) {
        if (i == axes.size()) {
            return b.cast(b.load(x, src), ScalarType.F64);
        }
        Bound a = axes.get(i);
        Value acc = b.constant(ScalarType.F64, 0.0);
        for (int t = 0; t < a.index().length; t++) {
            List<Value> inner = new ArrayList<>(src);
            inner.set(a.dim(), a.index()[t]);
            acc = b.add(acc, b.mul(a.weight()[t], sum(b, x, axes, i + 1, inner)));
        }
        return acc;
    }
}
