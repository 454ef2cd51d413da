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
import java.util.HashSet;
import java.util.List;
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
 * are skipped. Then threads split the result's rows (all dims but the last); each element is the
 * nested weighted sum over the taps of each axis in {@code axes} order, the first axis
 * outermost, exactly as the reference's axis-by-axis passes (last axis first) nest it,
 * accumulated in f64 like the reference and rounded once. Nearest is a plain gather (any type).
 */
final class ResizeLowering implements OpLowering {

    /** A resized axis: its dim and its tables (weights null for nearest). */
    private record Axis(int dim, Value index, Value weight) {}

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
        List<Axis> axes = new ArrayList<>();
        for (int i = 0; i < plan.axes().length; i++) {
            int d = plan.axes()[i];
            AxisTaps tables = new AxisTaps(plan, i, xt.dim(d), taps);
            if (tables.isIdentity()) {
                continue;
            }
            Value index = cx.scratch(MemRefType.of(ScalarType.I64, yt.dim(d), taps + 1));
            Value weight = nearest ? null : cx.scratch(MemRefType.of(ScalarType.F64, yt.dim(d), taps));
            tables.emit(b, index, weight);
            axes.add(new Axis(d, index, weight));
        }
        long[] shape = yt.shapeArray();
        long rows = total / (shape.length > 1 ? shape[shape.length - 1] : 1);
        long work = total * (long) Math.pow(taps, axes.size()) * 2;
        long grain = WorkSplit.grain(rows, WorkSplit.tasks(cx, rows, work));
        boolean crop = plan.transform().equals("tf_crop_and_resize");
        b.parallelEachIndex(shape, Math.max(1, shape.length - 1), grain, (eb, pos) -> {
            Value v = nearest ? gather(eb, x, axes, pos) : sum(eb, x, axes, taps, 0, new ArrayList<>(pos), pos);
            if (crop && !axes.isEmpty()) {
                v = eb.select(outside(eb, axes, taps, pos), eb.constant((ScalarType) v.type(), plan.extrapolation()), v);
            }
            eb.store(eb.cast(v, yt.elementType()), y, pos);
        });
    }

    /** Nearest: one input element, its resized coordinates read from the tables. */
    private static Value gather(LoopBuilder b, Value x, List<Axis> axes, List<Value> pos) {
        List<Value> src = new ArrayList<>(pos);
        for (Axis a : axes) {
            src.set(a.dim(), b.cast(b.load(a.index(), List.of(pos.get(a.dim()), b.index(0))), ScalarType.INDEX));
        }
        return b.load(x, src);
    }

    /**
     * Level {@code i} of the nested sum: {@code v = 0; v += w[t] * level(i + 1)} over the taps of
     * axis {@code i}, the reference's order; past the last axis, the input element in f64.
     */
    private static Value sum(LoopBuilder b, Value x, List<Axis> axes, int taps, int i, List<Value> src, List<Value> pos) {
        if (i == axes.size()) {
            return b.cast(b.load(x, src), ScalarType.F64);
        }
        Axis a = axes.get(i);
        Value acc = b.constant(ScalarType.F64, 0.0);
        for (int t = 0; t < taps; t++) {
            List<Value> at = List.of(pos.get(a.dim()), b.index(t));
            List<Value> inner = new ArrayList<>(src);
            inner.set(a.dim(), b.cast(b.load(a.index(), at), ScalarType.INDEX));
            acc = b.add(acc, b.mul(b.load(a.weight(), at), sum(b, x, axes, taps, i + 1, inner, pos)));
        }
        return acc;
    }

    /** Whether some resized axis puts this element outside the input (crop-and-resize extrapolates). */
    private static Value outside(LoopBuilder b, List<Axis> axes, int taps, List<Value> pos) {
        Value any = null;
        for (Axis a : axes) {
            Value flag = b.load(a.index(), List.of(pos.get(a.dim()), b.index(taps)));
            Value out = b.cmp("ne", flag, b.constant((dev.lathe.ir.type.Type) ScalarType.I64, 0L));
            any = any == null ? out : b.binary("loop.or", any, out);
        }
        return any;
    }
}
