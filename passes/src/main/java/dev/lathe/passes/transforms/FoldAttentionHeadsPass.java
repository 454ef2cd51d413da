package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.AttentionOp;
import dev.lathe.ir.dialect.nn.ReshapeOp;
import dev.lathe.ir.dialect.nn.TransposeOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code fold-attention-heads}: folds the head split and merge of multi-head attention into
 * {@code nn.attention}'s {@code heads} attribute, so q, k, v and the result stay in their
 * {@code [..., S, H*D]} projection layout and no transposed copies are made.
 *
 * <p>Matches an {@code nn.attention} without {@code heads} whose q and v are
 * {@code transpose(reshape(x, [..., S, H, D]), [..., H, S, D])} of an {@code x [..., S, H*D]}
 * (the reshape splitting only the last dim), whose k is the same (or
 * {@code transpose(..., [..., H, D, S])} when {@code k_transposed}), all with one {@code H}, and
 * whose result's only user is {@code transpose([..., Sq, H, Dv])} whose only user is
 * {@code reshape([..., Sq, H*Dv])}. The replacement reads the three {@code x}s directly with
 * {@code heads = H, k_transposed = false} and stands for the final reshape. Exact: the
 * interpreter and the lowering compute the same per-head products in the same order. The
 * transposes and reshapes left without users are erased. Anything else is left alone.
 *
 * <p>No options. Counters: {@code attentions-folded}, {@code ops-erased}.
 *
 * <pre>
 * %q4 = "nn.reshape"(%q) : (tensor<1x128x384xf32>) -> tensor<1x128x12x32xf32>
 * %qt = "nn.transpose"(%q4) {perm = [0, 2, 1, 3]}   (likewise %kt with [0, 2, 3, 1], %vt)
 * %a = "nn.attention"(%qt, %kt, %vt, %m) {k_transposed = true, scale = ...}
 * %o = "nn.reshape"("nn.transpose"(%a) {perm = [0, 2, 1, 3]}) -> tensor<1x128x384xf32>
 * // becomes
 * %o = "nn.attention"(%q, %k, %v, %m) {heads = 12, k_transposed = false, scale = ...}
 * </pre>
 */
public final class FoldAttentionHeadsPass extends Pass {

    private final PatternRewriter rewriter = new PatternRewriter();

    @Override
    public String name() {
        return "fold-attention-heads";
    }

    @Override
    public String description() {
        return "fold the reshape/transpose head split and merge around nn.attention into its heads attribute";
    }

    @Override
    public void run(Module module, PassContext context) {
        List<Operation> attentions = new ArrayList<>();
        module.walk((Operation op) -> {
            if (op.isA(AttentionOp.NAME) && op.attr("heads") == null) {
                attentions.add(op);
            }
        });
        for (Operation a : attentions) {
            fold(a, context);
        }
    }

    /** The split of one operand: the {@code [..., S, H*D]} value and H, or null when it does not match. */
    private record Split(Value source, long heads, Operation transpose, Operation reshape) {}

    private void fold(Operation att, PassContext context) {
        if (!(att.result().type() instanceof TensorType rt) || rt.rank() < 3 || !rt.hasStaticShape()) {
            return;
        }
        int n = rt.rank();
        boolean kt = att.attr("k_transposed") instanceof BoolAttr b && b.value();
        int[] headsFirst = perm(n, n - 2, n - 3, n - 1);
        Split q = split(att.operand(0), headsFirst);
        Split k = split(att.operand(1), kt ? perm(n, n - 2, n - 1, n - 3) : headsFirst);
        Split v = split(att.operand(2), headsFirst);
        if (q == null || k == null || v == null || q.heads() != k.heads() || q.heads() != v.heads()) {
            return;
        }
        // The merge: the result's one user transposes heads back next to Dv, whose one user reshapes them away.
        Operation back = onlyUser(att.result());
        if (back == null || !back.isA(TransposeOp.NAME) || !Arrays.equals(perm(back), headsFirst)) {
            return;
        }
        Operation merge = onlyUser(back.result());
        if (merge == null || !merge.isA(ReshapeOp.NAME) || !(merge.result().type() instanceof TensorType mt)
                || !mt.hasStaticShape() || !isSplitOf(mt.shapeArray(), ((TensorType) back.result().type()).shapeArray())) {
            return;
        }
        Map<String, Attribute> attrs = new TreeMap<>(att.attributes());
        attrs.put("k_transposed", BoolAttr.of(false));
        attrs.put("heads", IntegerAttr.of(q.heads()));
        List<Value> operands = new ArrayList<>(List.of(q.source(), k.source(), v.source()));
        if (att.numOperands() > 3) {
            operands.add(att.operand(3));
        }
        rewriter.setInsertionPointBefore(merge);
        Operation folded = rewriter.insert(Operation.create(AttentionOp.NAME, operands, List.of(mt), attrs,
                att.location()));
        folded.result().setNameHint(merge.result().nameHint());
        rewriter.replaceAllUsesWith(merge.result(), folded.result());
        long erased = 0;
        for (Operation dead : new java.util.LinkedHashSet<>(List.of(merge, back, att, q.transpose(), k.transpose(),
                v.transpose(), q.reshape(), k.reshape(), v.reshape()))) {
            if (!dead.hasUsesOfResults()) {
                rewriter.eraseOp(dead);
                erased++;
            }
        }
        context.increment("attentions-folded");
        context.add("ops-erased", erased);
    }

    /** {@code x} = transpose(reshape(source)) with {@code want} as perm, the reshape splitting the last dim in H x D. */
    private static Split split(Value x, int[] want) {
        if (!(x instanceof OpResult r) || !r.owner().isA(TransposeOp.NAME) || !Arrays.equals(perm(r.owner()), want)) {
            return null;
        }
        Operation t = r.owner();
        if (!(t.operand(0) instanceof OpResult rr) || !rr.owner().isA(ReshapeOp.NAME)) {
            return null;
        }
        Operation reshape = rr.owner();
        if (!(reshape.operand(0).type() instanceof TensorType src) || !src.hasStaticShape()
                || !(reshape.result().type() instanceof TensorType split) || !split.hasStaticShape()
                || !isSplitOf(src.shapeArray(), split.shapeArray())) {
            return null;
        }
        long[] s = split.shapeArray();
        return new Split(reshape.operand(0), s[s.length - 2], t, reshape);
    }

    /** Whether {@code split} is {@code merged} with its last dim written as two: {@code [..., X] -> [..., H, X/H]}. */
    private static boolean isSplitOf(long[] merged, long[] split) {
        int n = merged.length;
        if (split.length != n + 1 || n < 2) {
            return false;
        }
        for (int i = 0; i < n - 1; i++) {
            if (merged[i] != split[i]) {
                return false;
            }
        }
        return split[n - 1] * split[n] == merged[n - 1];
    }

    /** The identity permutation of rank {@code n} with its last three entries replaced. */
    private static int[] perm(int n, int a, int b, int c) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        p[n - 3] = a;
        p[n - 2] = b;
        p[n - 1] = c;
        return p;
    }

    private static int[] perm(Operation transpose) {
        if (!(transpose.attr("perm") instanceof ArrayAttr a) || a.asLongs() == null) {
            return null;
        }
        return Arrays.stream(a.asLongs()).mapToInt(Math::toIntExact).toArray();
    }

    private static Operation onlyUser(Value v) {
        return v.uses().size() == 1 ? v.uses().get(0).owner() : null;
    }
}
