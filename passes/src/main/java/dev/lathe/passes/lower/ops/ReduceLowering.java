package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.reduce_*}: one {@link GroupKernel} stage per pass (two for log_sum_exp: the max, then
 * the shifted sum of exponentials). Floats accumulate in the compute type (f32 for f16/bf16) from
 * -0.0 as the reference; integers follow {@code ReduceKind}: sum, prod, l1, sum_square, max and
 * min wrap in the element width, mean sums in 64 bits and truncates, l2/log_sum/log_sum_exp go
 * through f64 and truncate. i1 max/min (any/all) run on 0/1 bytes.
 */
final class ReduceLowering implements OpLowering {

    private final String kind;

    ReduceLowering(String kind) {
        this.kind = kind;
    }

    static void register(dev.lathe.passes.lower.Lowerings r) {
        for (String k : new String[] {"sum", "mean", "max", "min", "prod", "l1", "l2", "log_sum", "log_sum_exp", "sum_square"}) {
            r.register("nn.reduce_" + k, new ReduceLowering(k));
        }
    }

    @Override
    public Set<Integer> constantOperands(Operation op) {
        return op.numOperands() == 2 ? Set.of(1) : Set.of();
    }

    @Override
    public void lower(KernelContext cx) {
        Operation op = cx.op();
        int rank = cx.inputType(0).rank();
        boolean[] reduced;
        if (cx.numOperands() == 2) {
            long[] axes = cx.constant(1).toLongs();
            boolean noop = ReductionAttrs.bool(op, "noop_with_empty_axes", false);
            reduced = axes.length == 0 ? ReductionAttrs.mask(noop ? new long[0] : null, rank) : ReductionAttrs.mask(axes, rank);
        } else {
            reduced = ReductionAttrs.axesMask(op, rank);
        }
        ScalarType et = cx.inputType(0).elementType();
        ScalarType ct = computeType(et);
        GroupKernel k = GroupKernel.over(cx, cx.input(0), reduced, ct);
        long n = k.groupSize();
        addStages(cx, k, ct, n);
        Value out = cx.output(0);
        k.groupOutput(out, (b, g) -> g.get(g.size() - 1)).flopsPerElement(kind.equals("log_sum_exp") ? 20 : 1).emit();
    }

    private ScalarType computeType(ScalarType et) {
        if (et.isFloat()) {
            return GroupKernel.floatCompute(et);
        }
        return switch (kind) {
            case "mean" -> et == ScalarType.U64 ? ScalarType.U64 : ScalarType.I64;
            case "l2", "log_sum", "log_sum_exp" -> ScalarType.F64;
            case "max", "min" -> et == ScalarType.I1 ? ScalarType.U8 : et;
            default -> et;
        };
    }

    private void addStages(KernelContext cx, GroupKernel k, ScalarType ct, long n) {
        boolean f = ct.isFloat();
        Number zero = f ? (Number) GroupKernel.sumStart(n) : (Number) 0L;
        GroupKernel.FinishFn same = (b, acc, g) -> acc;
        switch (kind) {
            case "sum" -> k.stage(GroupKernel.fold("add", ct, zero, (b, e) -> e.x(), same));
            case "mean" -> {
                if (!f && n == 0) {
                    LoopBuilder b = cx.builder();
                    b.assertTrue(ArgReduceLowering.never(b), "integer mean of no elements");
                }
                k.stage(GroupKernel.fold("add", ct, zero, (b, e) -> e.x(),
                        (b, acc, g) -> b.div(acc, f ? b.constant(acc.type(), (double) n) : b.constant(acc.type(), Math.max(1, n)))));
            }
            case "max" -> k.stage(GroupKernel.fold("max", ct, f ? (Number) Double.NEGATIVE_INFINITY : (Number) lowest(ct),
                    (b, e) -> e.x(), same));
            case "min" -> k.stage(GroupKernel.fold("min", ct, f ? (Number) Double.POSITIVE_INFINITY : (Number) highest(ct),
                    (b, e) -> e.x(), same));
            case "prod" -> k.stage(GroupKernel.fold("mul", ct, f ? (Number) 1.0 : (Number) 1L, (b, e) -> e.x(), same));
            case "l1" -> k.stage(GroupKernel.fold("add", ct, zero, (b, e) -> b.unary("loop.abs", e.x()), same));
            case "sum_square" -> k.stage(GroupKernel.fold("add", ct, zero, (b, e) -> b.mul(e.x(), e.x()), same));
            case "l2" -> k.stage(GroupKernel.fold("add", ct, zero, (b, e) -> b.mul(e.x(), e.x()),
                    (b, acc, g) -> b.unary("loop.sqrt", acc)));
            case "log_sum" -> k.stage(GroupKernel.fold("add", ct, zero, (b, e) -> e.x(), (b, acc, g) -> b.unary("loop.log", acc)));
            case "log_sum_exp" -> {
                k.stage(GroupKernel.fold("max", ct, Double.NEGATIVE_INFINITY, (b, e) -> e.x(), same));
                k.stage(GroupKernel.fold("add", ct, zero, (b, e) -> b.unary("loop.exp", b.sub(e.x(), e.group().get(0))),
                        (b, acc, g) -> {
                            Value m = g.get(0);
                            // +inf dominates, all -inf (or nothing) gives -inf, NaN propagates: the max itself.
                            Value special = b.binary("loop.or", isInf(b, m), b.isNan(m));
                            return b.select(special, m, b.add(m, b.unary("loop.log", acc)));
                        }));
            }
            default -> throw cx.unsupported("reduction kind " + kind);
        }
    }

    static Value isInf(LoopBuilder b, Value v) {
        return b.create("loop.is_inf", List.of(v), List.of(VectorType.withElement(v.type(), ScalarType.I1)), Map.of(), 0)
                .result();
    }

    /** The least value of an integer type (0 for unsigned). */
    static long lowest(ScalarType t) {
        return t.isUnsigned() ? 0 : Long.MIN_VALUE >> (64 - 8 * t.byteSize());
    }

    /** The greatest value of an integer type, as its bits. */
    static long highest(ScalarType t) {
        long all = -1L >>> (64 - 8 * t.byteSize());
        return t.isUnsigned() ? all : all >>> 1;
    }
}
