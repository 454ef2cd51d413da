package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.List;

/**
 * {@code nn.arg_max} / {@code nn.arg_min}: a {@link GroupKernel} over the one axis with an
 * index-tracking stage. NaN is more extreme than every number (the first NaN, or the last with
 * {@code select_last_index}), {@code -0.0} ties {@code +0.0} (ordered compares). Groups along a
 * contiguous axis run one element at a time (lane order would change which tie wins); along an
 * outer axis neighbouring groups share vectors.
 */
final class ArgReduceLowering implements OpLowering {

    private final boolean max;

    ArgReduceLowering(boolean max) {
        this.max = max;
    }

    @Override
    public void lower(KernelContext cx) {
        int rank = cx.inputType(0).rank();
        int axis = ReductionAttrs.axis(cx.op(), "axis", 0, rank);
        boolean last = ReductionAttrs.bool(cx.op(), "select_last_index", false);
        ScalarType et = cx.inputType(0).elementType();
        ScalarType ct = et.isFloat() ? GroupKernel.floatCompute(et) : et;
        GroupKernel k = GroupKernel.over(cx, cx.input(0), ReductionAttrs.single(rank, axis), ct);
        if (k.groupSize() == 0 && k.groupCount() > 0) {
            LoopBuilder b = cx.builder();
            b.assertTrue(never(b), "no element along axis " + axis
                    + " of " + cx.inputType(0).text());
        }
        k.stage(stage(max, last, ct)).groupOutput(cx.output(0), (b, g) -> g.get(0)).emit();
    }

    /** An always-false condition (i1 has no constant form in the loop dialect). */
    static Value never(LoopBuilder b) {
        return b.cmp("ne", b.index(0), b.index(0));
    }

    /**
     * Tracks {@code (best, index)}; the group value is the i64 index. Starts from the type's
     * extreme with index 0, so the first element wins unless a later one is strictly better
     * (or equal, with {@code last}).
     */
    static GroupKernel.Stage stage(boolean max, boolean last, ScalarType ct) {
        return new GroupKernel.Stage() {
            @Override
            public List<Value> init(LoopBuilder b, int width) {
                Type t = width == 1 ? ct : VectorType.of(width, ct);
                Value start = ct.isFloat() ? b.constant(t, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                        : b.constant(t, max ? ReduceLowering.lowest(ct) : ReduceLowering.highest(ct));
                return List.of(start, b.constant(VectorType.withElement(t, ScalarType.I64), 0L));
            }

            @Override
            public List<Value> step(LoopBuilder b, List<Value> acc, GroupKernel.Element e) {
                Value best = acc.get(0);
                Value x = e.x();
                String p = max ? (last ? "ge" : "gt") : (last ? "le" : "lt");
                Value replace = b.cmp(p, x, best);
                if (ct.isFloat()) {
                    // Once the best is NaN only a later NaN replaces it, and only with select_last_index.
                    Value nanX = b.isNan(x);
                    Value better = b.binary("loop.or", nanX, replace);
                    replace = last ? b.select(b.isNan(best), nanX, better)
                            : b.binary("loop.and", b.unary("loop.not", b.isNan(best)), better);
                }
                Value pos = b.cast(e.pos(), ScalarType.I64);
                if (x.type() instanceof VectorType v) {
                    pos = b.broadcast(pos, v.length());
                }
                return List.of(b.select(replace, x, best), b.select(replace, pos, acc.get(1)));
            }

            @Override
            public List<Value> mergeLanes(LoopBuilder b, List<Value> vectorAcc, List<Value> scalarAcc) {
                throw new IllegalStateException("an index-tracking stage runs lane by lane only");
            }

            @Override
            public Value finish(LoopBuilder b, List<Value> acc, List<Value> group) {
                return acc.get(1);
            }

            @Override
            public boolean vectorizable() {
                return false;
            }

            @Override
            public boolean needsPosition() {
                return true;
            }
        };
    }
}
