package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code out[i] = f(x[i], p0[slice], p1[slice], ...)} for parameters that are per tensor or per
 * slice along {@code axis} (quantization scales and zero points). Rows of the last dimension run
 * in vectors; a parameter varying along the last dimension is loaded as a vector, any other
 * once per row and splatted. Outer dims split across threads.
 */
final class PerAxisKernel {

    /** The scalar function over {@code x} and the parameters (all scalars, or all vectors of one length). */
    @FunctionalInterface
    interface Body {
        Value apply(LoopBuilder b, Value x, List<Value> params);
    }

    private PerAxisKernel() {}

    static void emit(KernelContext cx, Value x, List<Value> params, Value out, int axis, int lanes, Body body) {
        MemRefType t = (MemRefType) x.type();
        long n = t.numElements();
        if (n == 0) {
            return;
        }
        LoopBuilder b = cx.builder();
        if (t.rank() == 0) {
            List<Value> ps = new ArrayList<>();
            for (Value p : params) {
                ps.add(QuantParams.load(b, p, b.index(0), 1, LoopBuilder.elementType(p)));
            }
            b.store(body.apply(b, b.load(x, List.of()), ps), out, List.of());
            return;
        }
        int last = t.rank() - 1;
        long inner = t.dim(last);
        long outer = n / inner;
        long[] outerShape = Arrays.copyOf(t.shapeArray(), last);
        int w = GemmEmitter.fitLanes(lanes, inner);
        long tasks = WorkSplit.tasks(cx, outer, n * 8);
        b.parallel(0, outer, 1, WorkSplit.grain(outer, tasks), (pb, flat) -> {
            List<Value> lead = outerShape.length == 0 ? List.of() : pb.delinearize(flat, outerShape);
            long vectorEnd = w > 1 ? inner / w * w : 0;
            if (vectorEnd > 0) {
                pb.forRange(0, vectorEnd, w, (vb, j) -> element(vb, x, params, out, axis, lead, j, w, body));
            }
            if (vectorEnd < inner) {
                pb.forRange(vectorEnd, inner, 1, (sb, j) -> element(sb, x, params, out, axis, lead, j, 1, body));
            }
        });
    }

    private static void element(LoopBuilder b, Value x, List<Value> params, Value out, int axis, List<Value> lead,
            Value j, int w, Body body) {
        List<Value> idx = new ArrayList<>(lead);
        idx.add(j);
        List<Value> ps = new ArrayList<>();
        for (Value p : params) {
            Value slice = axis == lead.size() ? j : axis < lead.size() ? lead.get(axis) : b.index(0);
            ps.add(axis == lead.size() && !QuantParams.perTensor(p)
                    ? QuantParams.load(b, p, slice, w, LoopBuilder.elementType(p))
                    : QuantParams.splat(b, p, slice, w, LoopBuilder.elementType(p)));
        }
        Value v = w == 1 ? b.load(x, idx) : b.vload(x, idx, w);
        Value r = body.apply(b, v, ps);
        if (w == 1) {
            b.store(r, out, idx);
        } else {
            b.vstore(r, out, idx);
        }
    }
}
