package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nn.det}: LU decomposition with partial pivoting (the first row of largest magnitude), in
 * f64 in a workspace copy of each matrix, matrices in parallel; as the reference, a zero pivot
 * makes the determinant 0 and a 0x0 matrix has determinant 1.
 */
final class DetLowering {

    private DetLowering() {}

    static void lower(KernelContext cx) {
        long[] shape = cx.inputType(0).shapeArray();
        int rank = shape.length;
        long n = shape[rank - 1];
        long[] batch = Arrays.copyOf(shape, rank - 2);
        long count = Arrays.stream(batch).reduce(1, (a, c) -> a * c);
        if (count == 0) {
            return;
        }
        Value x = cx.input(0);
        Value out = cx.output(0);
        ScalarType f64 = ScalarType.F64;
        Value a = cx.scratch(MemRefType.of(f64, count, Math.max(1, n), Math.max(1, n)));
        LoopBuilder b = cx.builder();
        b.parallel(0, count, 1, ReductionSchedule.grain(cx, count, n * n * n, f64), (pb, m) -> {
            List<Value> bi = batch.length == 0 ? List.of() : pb.delinearize(m, batch);
            pb.forEachIndex(new long[] {n, n}, (cb, rc) -> {
                List<Value> src = new ArrayList<>(bi);
                src.addAll(rc);
                cb.store(cb.cast(cb.load(x, src), f64), a, List.of(m, rc.get(0), rc.get(1)));
            });
            List<Value> init = List.of(pb.constant(f64, 1.0), ArgReduceLowering.never(pb));
            List<Value> done = pb.forRange(pb.index(0), pb.index(n), pb.index(1), init, (col, c, acc) ->
                    column(col, a, m, c, n, acc));
            Value det = pb.select(done.get(1), pb.constant(f64, 0.0), done.get(0));
            pb.store(pb.cast(det, LoopBuilder.elementType(out)), out, bi);
        });
    }

    /** One column of the elimination; carries {@code (det, singular)}. */
    private static List<Value> column(LoopBuilder b, Value a, Value m, Value c, long n, List<Value> acc) {
        ScalarType f64 = ScalarType.F64;
        List<Value> start = List.of(c, b.unary("loop.abs", b.load(a, List.of(m, c, c))));
        List<Value> pivot = b.forRange(b.add(c, b.index(1)), b.index(n), b.index(1), start, (rb, r, best) -> {
            Value v = rb.unary("loop.abs", rb.load(a, List.of(m, r, c)));
            Value larger = rb.cmp("gt", v, best.get(1));
            return List.of(rb.select(larger, r, best.get(0)), rb.select(larger, v, best.get(1)));
        });
        Value p = pivot.get(0);
        Value pv = b.load(a, List.of(m, p, c));
        Value zero = b.cmp("eq", pv, b.constant(f64, 0.0));
        Value swap = b.cmp("ne", p, c);
        b.ifThen(b.unary("loop.not", zero), nb -> {
            nb.ifThen(swap, sb -> sb.forRange(0, n, 1, (kb, k) -> {
                Value t = kb.load(a, List.of(m, c, k));
                kb.store(kb.load(a, List.of(m, p, k)), a, List.of(m, c, k));
                kb.store(t, a, List.of(m, p, k));
            }));
            Value diag = nb.load(a, List.of(m, c, c));
            nb.forRange(nb.add(c, nb.index(1)), nb.index(n), nb.index(1), (rb, r) -> {
                Value f = rb.div(rb.load(a, List.of(m, r, c)), diag);
                rb.forRange(c, rb.index(n), rb.index(1), (kb, k) -> {
                    Value updated = kb.sub(kb.load(a, List.of(m, r, k)), kb.mul(f, kb.load(a, List.of(m, c, k))));
                    kb.store(updated, a, List.of(m, r, k));
                });
            });
        });
        Value det = acc.get(0);
        Value signed = b.select(swap, b.unary("loop.neg", det), det);
        return List.of(b.select(zero, det, b.mul(signed, pv)), b.binary("loop.or", acc.get(1), zero));
    }
}
