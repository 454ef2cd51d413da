package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Block;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.IfOp;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.List;

/**
 * {@code nn.if} with a constant condition becomes the ops of the region it would run, placed
 * before it; its results become the values that region yields. This is how a model specialized
 * to an input (Silero VAD's sample rate) loses the branch it will never take.
 *
 * <pre>
 * %c = "nn.constant"() {value = dense<true> : tensor<i1>} ...
 * %r = "nn.if"(%c) ({ ...then... "nn.yield"(%a) }, { ...else... })    uses of %r become uses of %a
 * </pre>
 */
public final class InlineConstantIf extends RewritePattern {

    @Override
    public String rootOpName() {
        return IfOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        if (!(op.operand(0) instanceof OpResult r) || !NnConstants.isConstant(r.owner())
                || !(r.owner().attr("value") instanceof DenseElementsAttr cond) || cond.numElements() != 1) {
            return rewriter.notifyMatchFailure(op, "the condition is not an inline constant");
        }
        int taken = cond.getLong(0) != 0 ? 0 : 1;
        if (op.region(taken).blocks().size() != 1) {
            return rewriter.notifyMatchFailure(op, "the taken region is not one block");
        }
        Block body = op.region(taken).entryBlock();
        Operation yield = body.terminator();
        List<Value> results = List.copyOf(yield.operands());
        rewriter.setInsertionPointBefore(op);
        for (Operation inner : List.copyOf(body.operations())) {
            if (inner == yield) {
                break;
            }
            inner.remove();
            rewriter.insert(inner);
        }
        rewriter.replaceOp(op, results);
        return true;
    }
}
