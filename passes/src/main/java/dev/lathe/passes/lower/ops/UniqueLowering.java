package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.List;

/**
 * {@code nn.unique}: the distinct items (elements of the flattened input, or slices along
 * {@code axis}) with their first indices, the inverse indices and the counts, exactly as
 * {@code UniqueOp.evaluate}. Results {@code y}, {@code indices} and {@code counts} are bounded
 * (docs/lowering.md#data-dependent-shapes): the bound is the number of items ({@code numel}, or
 * the axis dim), the extent the number of distinct items; {@code inverse_indices} is static.
 *
 * <p>Schedule: O(n² · s) for {@code n} items of {@code s} elements, single-threaded except the
 * sort. A sequential pass over the items compares each with the distinct items found so far (in
 * order of first occurrence, the reference's loop), recording its first occurrence, its distinct
 * item and the counts in scratch. With {@code sorted}, each distinct item's output position is
 * the number of distinct items lexicographically below it (no two compare equal, so the ranks
 * are a permutation; parallel over items); otherwise its order of appearance. Comparisons are
 * the reference's: floats as numbers in f64 with {@code -0.0 == 0.0} and every NaN one item
 * above all numbers, integers per signedness. Exact (indices and copied elements).
 */
final class UniqueLowering implements OpLowering {

    @Override
    public TensorType resultBound(Operation op, int result) {
        if (result == 2) {
            return null; // inverse_indices: one per item, static
        }
        Items items = Items.of((TensorType) op.operand(0).type(), op);
        return result == 0 ? TensorType.of(((TensorType) op.operand(0).type()).elementType(), items.shape)
                : TensorType.of(ScalarType.I64, items.n);
    }

    /** The items' layout: {@code shape} is {@code x}'s (flattened without axis), items along {@code axis}. */
    private record Items(long[] xShape, long[] shape, int axis, long outer, long n, long inner) {

        static Items of(TensorType x, Operation op) {
            boolean hasAxis = op.attributes().containsKey("axis");
            long[] shape = hasAxis ? x.shapeArray() : new long[] {x.numElements()};
            int axis = hasAxis ? ShapeAttrs.axis(ShapeAttrs.integer(op, "axis", 0), shape.length) : 0;
            long outer = 1;
            long inner = 1;
            for (int d = 0; d < shape.length; d++) {
                if (d < axis) {
                    outer *= shape[d];
                } else if (d > axis) {
                    inner *= shape[d];
                }
            }
            return new Items(x.shapeArray(), shape, axis, outer, shape[axis], inner);
        }

        /** The flat (row-major) position of element {@code (o, i)} of item {@code j}. */
        Value flat(LoopBuilder b, Value o, Value j, Value i) {
            return b.add(b.mul(b.add(b.mul(o, b.index(n)), j), b.index(inner)), i);
        }
    }

    @Override
    public void lower(KernelContext cx) {
        Value x = cx.input(0);
        Items it = Items.of(cx.inputType(0), cx.op());
        boolean sorted = ShapeAttrs.bool(cx.op(), "sorted", true);
        LoopBuilder b = cx.builder();
        MemRefType perItem = MemRefType.of(ScalarType.I64, Math.max(1, it.n));
        Value firsts = cx.scratch(perItem); // [distinct item by appearance] its first item
        Value appearance = cx.scratch(perItem); // [item] its distinct item, by appearance
        Value counts = cx.scratch(perItem); // [distinct item by appearance] how many items equal it
        Value position = cx.scratch(perItem); // [distinct item by appearance] its output position
        Value one = b.index(1);

        Value distinct = b.forRange(0, it.n, 1, b.index(0), (lb, a) -> {
            Value j = a[0];
            Value u = a[1];
            // the first distinct item equal to item j, or u (a new one)
            Value found = lb.forRange(lb.index(0), u, one, List.of(u), (qb, q, f) -> {
                Value open = qb.cmp("eq", f.get(0), u);
                Value equal = compare(qb, x, it, qb.cast(qb.load(firsts, List.of(q)), ScalarType.INDEX), j, true);
                return List.of(qb.select(qb.binary("loop.and", open, equal), q, f.get(0)));
            }).get(0);
            Value isNew = lb.cmp("eq", found, u);
            lb.ifThen(isNew, tb -> {
                tb.store(tb.cast(j, ScalarType.I64), firsts, List.of(u));
                tb.store(tb.constant((dev.lathe.ir.type.Type) ScalarType.I64, 0L), counts, List.of(u));
            });
            lb.store(lb.cast(found, ScalarType.I64), appearance, List.of(j));
            Value c = lb.load(counts, List.of(found));
            lb.store(lb.add(c, lb.constant((dev.lathe.ir.type.Type) ScalarType.I64, 1L)), counts, List.of(found));
            return lb.add(u, lb.select(isNew, one, lb.index(0)));
        });

        b.parallel(b.index(0), distinct, one, sorted ? 1 : 64, (pb, p) -> {
            Value rank = p;
            if (sorted) {
                Value fp = pb.cast(pb.load(firsts, List.of(p)), ScalarType.INDEX);
                rank = pb.forRange(pb.index(0), distinct, one, List.of(pb.index(0)), (qb, q, r) -> {
                    Value fq = qb.cast(qb.load(firsts, List.of(q)), ScalarType.INDEX);
                    Value below = compare(qb, x, it, fq, fp, false);
                    return List.of(qb.add(r.get(0), qb.select(below, one, qb.index(0))));
                }).get(0);
            }
            pb.store(pb.cast(rank, ScalarType.I64), position, List.of(p));
        });

        Value y = cx.output(0);
        b.forRange(b.index(0), distinct, one, (pb, p) -> {
            Value pos = pb.cast(pb.load(position, List.of(p)), ScalarType.INDEX);
            Value first = pb.load(firsts, List.of(p));
            pb.store(first, cx.output(1), List.of(pos));
            pb.store(pb.load(counts, List.of(p)), cx.output(3), List.of(pos));
            Value src = pb.cast(first, ScalarType.INDEX);
            pb.forRange(0, it.outer, 1, (ob, o) -> ob.forRange(0, it.inner, 1, (ib, i) -> ib.store(
                    ib.load(x, ib.delinearize(it.flat(ib, o, src, i), it.xShape)), y,
                    ib.delinearize(it.flat(ib, o, pos, i), it.shape))));
        });
        b.parallel(0, it.n, 1, 256, (pb, j) -> {
            Value app = pb.cast(pb.load(appearance, List.of(j)), ScalarType.INDEX);
            pb.store(pb.load(position, List.of(app)), cx.output(2), List.of(j));
        });
        Value extent = b.cast(distinct, ScalarType.I64);
        for (int r : new int[] {0, 1, 3}) {
            b.store(extent, cx.extent(r), List.of());
        }
    }

    /**
     * Item {@code p} against item {@code q}, element by element in row-major order: with
     * {@code equality} whether they are equal, otherwise whether {@code p} is lexicographically
     * below {@code q}.
     */
    private static Value compare(LoopBuilder b, Value x, Items it, Value p, Value q, boolean equality) {
        // carried: -1 (p below), 0 (equal so far), 1 (p above); decided at the first difference
        Value zero = b.index(0);
        Value state = b.forRange(b.index(0), b.index(it.outer), b.index(1), List.of(zero),
                (ob, o, so) -> List.of(ob.forRange(ob.index(0), ob.index(it.inner), ob.index(1), List.of(so.get(0)),
                        (ib, i, si) -> {
                            Value u = element(ib, x, it, o, p, i);
                            Value v = element(ib, x, it, o, q, i);
                            Value order = ib.select(below(ib, u, v), ib.index(-1),
                                    ib.select(below(ib, v, u), ib.index(1), ib.index(0)));
                            Value s = si.get(0);
                            return List.of(ib.select(ib.cmp("eq", s, ib.index(0)), order, s));
                        }).get(0))).get(0);
        return equality ? b.cmp("eq", state, zero) : b.cmp("eq", state, b.index(-1));
    }

    /** Element {@code (o, i)} of item {@code j}; floats widened to f64 (exact). */
    private static Value element(LoopBuilder b, Value x, Items it, Value o, Value j, Value i) {
        Value v = b.load(x, b.delinearize(it.flat(b, o, j, i), it.xShape));
        return ((ScalarType) v.type()).isFloat() ? b.cast(v, ScalarType.F64) : v;
    }

    /** {@code u < v} in the reference's element order (floats: NaN above every number, NaNs equal). */
    private static Value below(LoopBuilder b, Value u, Value v) {
        Value lt = b.cmp("lt", u, v); // per signedness; ordered for floats, so -0.0 and 0.0 are equal
        if (!((ScalarType) u.type()).isFloat()) {
            return lt;
        }
        Value numberBelowNan = b.binary("loop.and", b.unary("loop.not", b.isNan(u)), b.isNan(v));
        return b.binary("loop.or", lt, numberBelowNan);
    }
}
