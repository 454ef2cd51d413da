package dev.lathe.passes.canonicalize;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.nn.ReshapeOp;
import dev.lathe.ir.dialect.nn.SqueezeOp;
import dev.lathe.ir.dialect.nn.UnsqueezeOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Two chained shape-only ops ({@code nn.squeeze}, {@code nn.unsqueeze}, {@code nn.reshape}, all in
 * attribute form), at least one of them a squeeze or unsqueeze, collapse:
 * <ul>
 *   <li>{@code unsqueeze(squeeze(x, A), A)} and {@code squeeze(unsqueeze(x, A), A)} (axes equal
 *       after normalizing negatives) become {@code x}, for any shape of {@code x};</li>
 *   <li>otherwise, when the outer result has a static shape, the pair becomes one
 *       {@code nn.reshape(x) {shape = <that shape>}}: every op of the chain keeps the element order
 *       and count, so only the final shape matters. Longer chains collapse pair by pair, and a
 *       reshape to {@code x}'s own type then folds away.</li>
 * </ul>
 * Exact: no element changes. ({@code reshape(reshape(x))} is {@link ComposeReshapes}'s.)
 *
 * <pre>
 * %1 = "nn.squeeze"(%x) {axes = [0]} : (tensor<1x3x4xf32>) -> tensor<3x4xf32>
 * %2 = "nn.unsqueeze"(%1) {axes = [2]} : (tensor<3x4xf32>) -> tensor<3x4x1xf32>
 * // becomes
 * %2 = "nn.reshape"(%x) {shape = [3, 4, 1]} : (tensor<1x3x4xf32>) -> tensor<3x4x1xf32>
 * </pre>
 */
public final class SqueezeUnsqueezeChains extends RewritePattern {

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        if (!isShapeOnly(op) || !(op.operand(0) instanceof OpResult r) || !isShapeOnly(r.owner())) {
            return false;
        }
        Operation inner = r.owner();
        if (op.isA(ReshapeOp.NAME) && inner.isA(ReshapeOp.NAME)) {
            return rewriter.notifyMatchFailure(op, "reshape of reshape is ComposeReshapes's");
        }
        if (!(inner.operand(0).type() instanceof TensorType x) || !(op.result().type() instanceof TensorType y)) {
            return rewriter.notifyMatchFailure(op, "operand or result is not a tensor");
        }
        if (undoes(inner, op) && x.isCompatibleWith(y)) {
            rewriter.replaceOp(op, inner.operand(0));
            return true;
        }
        if (!y.hasStaticShape()) {
            return rewriter.notifyMatchFailure(op, "the result shape is not static");
        }
        rewriter.setInsertionPointBefore(op);
        Operation reshape = rewriter.create(ReshapeOp.NAME, List.of(inner.operand(0)), List.of(y),
                Map.<String, Attribute>of("shape", ArrayAttr.ofLongs(y.shapeArray())), op.location());
        reshape.result().setNameHint(op.result().nameHint());
        rewriter.replaceOp(op, reshape.result());
        return true;
    }

    /** A squeeze, unsqueeze or reshape whose only operand is the data (axes or shape are attributes). */
    private static boolean isShapeOnly(Operation op) {
        return op.numOperands() == 1 && op.numResults() == 1
                && (op.isA(SqueezeOp.NAME) || op.isA(UnsqueezeOp.NAME) || op.isA(ReshapeOp.NAME));
    }

    /** Whether {@code outer} re-inserts exactly the dims {@code inner} removed, or the reverse. */
    private static boolean undoes(Operation inner, Operation outer) {
        boolean squeezeThenUnsqueeze = inner.isA(SqueezeOp.NAME) && outer.isA(UnsqueezeOp.NAME);
        boolean unsqueezeThenSqueeze = inner.isA(UnsqueezeOp.NAME) && outer.isA(SqueezeOp.NAME);
        if (!squeezeThenUnsqueeze && !unsqueezeThenSqueeze) {
            return false;
        }
        // Both axes lists index the rank-r side: the squeeze's input and the unsqueeze's result.
        int rank = squeezeThenUnsqueeze ? ((TensorType) inner.operand(0).type()).rank()
                : ((TensorType) inner.result().type()).rank();
        TreeSet<Long> a = axes(inner, rank);
        TreeSet<Long> b = axes(outer, rank);
        return a != null && a.equals(b);
    }

    private static TreeSet<Long> axes(Operation op, int rank) {
        if (!(op.attr("axes") instanceof ArrayAttr axes)) {
            return null;
        }
        TreeSet<Long> set = new TreeSet<>();
        for (long a : axes.asLongs()) {
            set.add(a < 0 ? a + rank : a);
        }
        return set;
    }
}
