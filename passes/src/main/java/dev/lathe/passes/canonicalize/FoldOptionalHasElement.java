package dev.lathe.passes.canonicalize;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.dialect.nn.OptionalHasElementOp;
import dev.lathe.ir.dialect.nn.OptionalOp;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;

/**
 * {@code nn.optional_has_element} is a constant when presence is known: true for an
 * {@code nn.optional} with an operand and for a plain tensor or sequence (always present),
 * false for an {@code nn.optional} without one.
 *
 * <pre>
 * %o = "nn.optional"() : () -&gt; !nn.optional&lt;tensor&lt;2xf32&gt;&gt;
 * %b = "nn.optional_has_element"(%o) ...      becomes  %b = "nn.constant"() {value = dense&lt;false&gt; ...}
 * </pre>
 */
public final class FoldOptionalHasElement extends RewritePattern {

    @Override
    public String rootOpName() {
        return OptionalHasElementOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        boolean has;
        if (!(op.operand(0).type() instanceof OptionalType)) {
            has = true;
        } else if (op.operand(0) instanceof OpResult r && r.owner().isA(OptionalOp.NAME)) {
            has = r.owner().numOperands() == 1;
        } else {
            return rewriter.notifyMatchFailure(op, "whether the optional holds a value is not known");
        }
        rewriter.setInsertionPointBefore(op);
        Operation c = rewriter.insert(NnConstants.create(
                DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I1), has ? 1 : 0), op.location()));
        rewriter.replaceOp(op, c.result(0));
        return true;
    }
}
