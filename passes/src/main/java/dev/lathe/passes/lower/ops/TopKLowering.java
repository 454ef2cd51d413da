package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code nn.top_k}: per group along {@code axis} (groups in parallel), an insertion into the
 * sorted outputs themselves: each element, in index order, goes after every kept element that
 * ranks at or above it (so ties keep the lower index first) and the tail shifts down, dropping
 * beyond {@code k}. O(n·k) per group, no scratch. NaN ranks above every number, {@code -0.0}
 * ties {@code +0.0}; the result is always sorted (ONNX allows any order for {@code sorted = false}).
 */
final class TopKLowering implements OpLowering {

    @Override
    public Set<Integer> constantOperands(Operation op) {
        return op.numOperands() == 2 ? Set.of(1) : Set.of();
    }

    @Override
    public void lower(KernelContext cx) {
        long[] shape = cx.inputType(0).shapeArray();
        int rank = shape.length;
        int axis = ReductionAttrs.axis(cx.op(), "axis", -1, rank);
        long k = cx.numOperands() == 2 ? cx.constant(1).getLong(0) : ReductionAttrs.integer(cx.op(), "k", 0);
        boolean largest = ReductionAttrs.bool(cx.op(), "largest", true);
        long n = shape[axis];
        if (k > n || k < 0) {
            throw cx.unsupported("k = " + k + " for an axis of size " + n);
        }
        long[] groupShape = shape.clone();
        groupShape[axis] = 1;
        long groups = cx.outputType(0).numElements() / Math.max(1, k);
        if (k == 0 || groups == 0) {
            return;
        }
        ScalarType et = cx.inputType(0).elementType();
        ScalarType ct = et.isFloat() ? GroupKernel.floatCompute(et) : et;
        Value x = cx.input(0);
        Value vals = cx.output(0);
        Value idxs = cx.output(1);
        LoopBuilder b = cx.builder();
        b.parallel(0, groups, 1, ReductionSchedule.grain(cx, groups, n * k, ct), (pb, flat) -> {
            List<Value> g = pb.delinearize(flat, groupShape);
            pb.forRange(pb.index(0), pb.index(n), pb.index(1), List.of(pb.index(0)), (ib, i, carried) -> {
                Value count = carried.get(0);
                Value v = ib.cast(ib.load(x, at(g, axis, i)), ct);
                // Kept elements ranking at or above v: v's place.
                Value pos = ib.forRange(ib.index(0), count, ib.index(1), List.of(ib.index(0)), (jb, j, p) -> {
                    Value kept = jb.cast(jb.load(vals, at(g, axis, j)), ct);
                    Value notBelow = jb.unary("loop.not", better(jb, v, kept, largest));
                    return List.of(jb.add(p.get(0), jb.cast(notBelow, ScalarType.INDEX)));
                }).get(0);
                ib.ifThen(ib.cmp("lt", pos, ib.index(k)), tb -> {
                    Value top = tb.min(count, tb.index(k - 1));
                    tb.forRange(tb.index(0), tb.sub(top, pos), tb.index(1), (sb, t) -> {
                        Value to = sb.sub(top, t);
                        Value from = sb.sub(to, sb.index(1));
                        sb.store(sb.load(vals, at(g, axis, from)), vals, at(g, axis, to));
                        sb.store(sb.load(idxs, at(g, axis, from)), idxs, at(g, axis, to));
                    });
                    tb.store(tb.load(x, at(g, axis, i)), vals, at(g, axis, pos));
                    tb.store(tb.cast(i, ScalarType.I64), idxs, at(g, axis, pos));
                });
                return List.of(ib.min(ib.add(count, ib.index(1)), ib.index(k)));
            });
        });
    }

    /** Whether {@code a} ranks strictly above {@code b}. */
    private static Value better(LoopBuilder b, Value a, Value other, boolean largest) {
        Value strict = b.cmp(largest ? "gt" : "lt", a, other);
        if (!((ScalarType) a.type()).isFloat()) {
            return strict;
        }
        Value nanA = b.isNan(a);
        Value nanB = b.isNan(other);
        // NaN is above every number: largest puts it first, smallest last.
        Value nanWins = largest ? b.binary("loop.and", nanA, b.unary("loop.not", nanB))
                : b.binary("loop.and", nanB, b.unary("loop.not", nanA));
        return b.binary("loop.or", strict, nanWins);
    }

    private static List<Value> at(List<Value> group, int axis, Value i) {
        List<Value> idx = new ArrayList<>(group);
        idx.set(axis, i);
        return idx;
    }

}
