package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.SequenceAtOp;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.List;

/**
 * {@code nn.sequence_at} of a sequence of known elements at a constant position is that element.
 * An out-of-range position is left for the run-time error.
 *
 * <pre>
 * %s = "nn.sequence_construct"(%a, %b, %c) ...
 * %t = "nn.sequence_at"(%s, %one) ...          uses of %t become uses of %b
 * </pre>
 */
public final class FoldSequenceAt extends RewritePattern {

    @Override
    public String rootOpName() {
        return SequenceAtOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        List<Value> elements = KnownSequences.elements(op.operand(0));
        Long p = KnownSequences.constantInt(op.operand(1));
        if (elements == null || p == null) {
            return rewriter.notifyMatchFailure(op, "the sequence or the position is not known");
        }
        int at = KnownSequences.position(p, elements.size(), false);
        if (at < 0) {
            return rewriter.notifyMatchFailure(op, "position " + p + " is out of range");
        }
        rewriter.replaceOp(op, elements.get(at));
        return true;
    }
}
