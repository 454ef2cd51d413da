package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.Lowerings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that walk lines along one axis: {@code nn.cumsum} (running sums, floats accumulated in
 * double and rounded once per output as the reference does; integers wrap), {@code nn.trilu}
 * and {@code nn.reverse_sequence}. Cumsum carries one accumulator per line and, when the axis is
 * not the last dim, runs a vector of neighbouring lines at once.
 */
final class ScanLowerings {

    private ScanLowerings() {}

    static void register(Lowerings r) {
        r.register("nn.cumsum", CopyLowerings.withConstants(ScanLowerings::cumsum, 1));
        r.register("nn.trilu", CopyLowerings.withConstants(ScanLowerings::trilu, 1));
        r.register("nn.reverse_sequence", ScanLowerings::reverseSequence);
    }

    private static void cumsum(KernelContext cx) {
        Value x = cx.input(0);
        Value out = cx.output(0);
        MemRefType t = (MemRefType) out.type();
        long[] s = t.shapeArray();
        boolean exclusive = ShapeAttrs.bool(cx.op(), "exclusive", false);
        boolean reverse = ShapeAttrs.bool(cx.op(), "reverse", false);
        long rawAxis = cx.op().attr("axis") != null || !cx.hasOperand(1) ? ShapeAttrs.integer(cx.op(), "axis", 0)
                : cx.constant(1).getLong(0);
        LoopBuilder b = cx.builder();
        ScalarType et = t.elementType();
        ScalarType acc = et.isFloat() ? ScalarType.F64 : et;
        if (s.length == 0) {
            b.store(exclusive ? b.constant((Type) et, 0L) : b.load(x, List.of()), out, List.of());
            return;
        }
        if (t.numElements() == 0) {
            return;
        }
        int axis = ShapeAttrs.axis(rawAxis, s.length);
        int last = s.length - 1;
        long len = s[axis];
        // the lines: every dim but the axis; vectors across the last dim when it is not the axis
        long[] lines = new long[last];
        for (int d = 0, k = 0; d < s.length; d++) {
            if (d != axis) {
                lines[k++] = s[d];
            }
        }
        int lanes = axis == last ? 1 : AffineCopy.lanes(cx, et, s[last]);
        long[] outer = axis == last ? lines : Arrays.copyOf(lines, lines.length - 1);
        long tasks = Parallelism.tasks(cx, t.numElements(), et, 1);
        long iterations = 1;
        for (long o : outer) {
            iterations *= o;
        }
        b.parallelEachIndex(outer, outer.length, Parallelism.grain(iterations, tasks), (pb, ivs) -> {
            if (axis == last) {
                scan(pb, x, out, ivs, axis, len, null, 1, exclusive, reverse, et, acc);
                return;
            }
            long inner = s[last];
            long vectorEnd = lanes > 1 ? inner / lanes * lanes : 0;
            if (vectorEnd > 0) {
                pb.forRange(0, vectorEnd, lanes, (vb, j) -> scan(vb, x, out, ivs, axis, len, j, lanes, exclusive,
                        reverse, et, acc));
            }
            if (vectorEnd < inner) {
                pb.forRange(vectorEnd, inner, 1, (sb, j) -> scan(sb, x, out, ivs, axis, len, j, 1, exclusive,
                        reverse, et, acc));
            }
        });
    }

    /** One line (or {@code lanes} neighbouring lines starting at last-dim index {@code j}). */
    private static void scan(LoopBuilder b, Value x, Value out, List<Value> ivs, int axis, long len, Value j,
            int lanes, boolean exclusive, boolean reverse, ScalarType et, ScalarType acc) {
        Type accType = lanes > 1 ? VectorType.of(lanes, acc) : acc;
        Value zero = acc.isFloat() ? b.constant(accType, -0.0) : b.constant(accType, 0L);
        if (exclusive) {
            // the first output is +0.0 (or 0); each later one the sum of the elements before it
            Type outType = lanes > 1 ? VectorType.of(lanes, et) : et;
            write(b, out, at(b, ivs, axis, position(b, b.index(0), len, reverse), j), b.constant(outType, 0L), lanes);
        }
        long steps = exclusive ? len - 1 : len;
        b.forRange(0, steps, 1, zero, (lb, a) -> {
            Value step = a[0];
            Value v = read(lb, x, at(lb, ivs, axis, position(lb, step, len, reverse), j), lanes);
            Value sum = lb.add(a[1], lb.cast(v, acc));
            Value target = exclusive ? lb.add(step, lb.index(1)) : step;
            write(lb, out, at(lb, ivs, axis, position(lb, target, len, reverse), j), lb.cast(sum, et), lanes);
            return sum;
        });
    }

    private static Value position(LoopBuilder b, Value step, long len, boolean reverse) {
        return reverse ? b.sub(b.index(len - 1), step) : step;
    }

    /** {@code ivs} (every dim but the axis, maybe without the last) with the axis (and last-dim) index put back. */
    private static List<Value> at(LoopBuilder b, List<Value> ivs, int axis, Value pos, Value j) {
        List<Value> out = new ArrayList<>(ivs);
        out.add(axis, pos);
        if (j != null) {
            out.add(j);
        }
        return out;
    }

    private static Value read(LoopBuilder b, Value buf, List<Value> idx, int lanes) {
        return lanes > 1 ? b.vload(buf, idx, lanes) : b.load(buf, idx);
    }

    private static void write(LoopBuilder b, Value buf, List<Value> idx, Value v, int lanes) {
        if (lanes > 1) {
            b.vstore(v, buf, idx);
        } else {
            b.store(v, buf, idx);
        }
    }

    /** Keeps (i, j) of the last two dims where j - i >= k (upper) or <= k (lower), zero elsewhere. */
    private static void trilu(KernelContext cx) {
        boolean upper = ShapeAttrs.bool(cx.op(), "upper", true);
        long k = cx.op().attr("k") != null || !cx.hasOperand(1) ? ShapeAttrs.integer(cx.op(), "k", 0)
                : cx.constant(1).getLong(0);
        Value x = cx.input(0);
        ScalarType et = LoopBuilder.elementType(x);
        Generate.each(cx, cx.output(0), (b, ivs) -> {
            int r = ivs.size();
            Value diff = b.sub(ivs.get(r - 1), ivs.get(r - 2));
            Value keep = b.cmp(upper ? "ge" : "le", diff, b.index(k));
            return b.select(keep, b.load(x, ivs), b.constant((Type) et, 0L));
        });
    }

    /** out[..b..t..] = x[..b..t'..], t' = len[b]-1-t for t < len[b] (len asserted in 0..T, then clamped). */
    private static void reverseSequence(KernelContext cx) {
        Value x = cx.input(0);
        Value lens = cx.input(1);
        long[] s = CopyLowerings.shape(x);
        int batch = ShapeAttrs.axis(ShapeAttrs.integer(cx.op(), "batch_axis", 1), s.length);
        int time = ShapeAttrs.axis(ShapeAttrs.integer(cx.op(), "time_axis", 0), s.length);
        long steps = s[time];
        Generate.each(cx, cx.output(0), (b, ivs) -> {
            Value len = b.cast(b.load(lens, List.of(ivs.get(batch))), ScalarType.INDEX);
            Value ok = b.binary("loop.and", b.cmp("ge", len, b.index(0)), b.cmp("le", len, b.index(steps)));
            b.assertTrue(ok, "sequence length is out of range 0.." + steps);
            len = IndexChecks.clamp(b, len, 0, steps);
            Value t = ivs.get(time);
            Value reversed = b.sub(b.sub(len, b.index(1)), t);
            List<Value> src = new ArrayList<>(ivs);
            src.set(time, b.select(b.cmp("lt", t, len), reversed, t));
            return b.load(x, src);
        });
    }
}
