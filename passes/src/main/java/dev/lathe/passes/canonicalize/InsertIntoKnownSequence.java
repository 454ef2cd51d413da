package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.SequenceInsertOp;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nn.sequence_insert} into a sequence of known elements, at the back or at a constant
 * position, is a {@code nn.sequence_construct} of the elements with the tensor in its place.
 *
 * <pre>
 * %s = "nn.sequence_construct"(%a) ...
 * %r = "nn.sequence_insert"(%s, %b) ...       becomes  %r = "nn.sequence_construct"(%a, %b)
 * </pre>
 */
public final class InsertIntoKnownSequence extends RewritePattern {

    @Override
    public String rootOpName() {
        return SequenceInsertOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        List<Value> elements = KnownSequences.elements(op.operand(0));
        if (elements == null) {
            return rewriter.notifyMatchFailure(op, "the elements of the sequence are not known");
        }
        int at = elements.size();
        if (op.numOperands() == 3) {
            Long p = KnownSequences.constantInt(op.operand(2));
            at = p == null ? -1 : KnownSequences.position(p, elements.size(), true);
            if (at < 0) {
                return rewriter.notifyMatchFailure(op, "the position is not a constant in range");
            }
        }
        List<Value> inserted = new ArrayList<>(elements);
        inserted.add(at, op.operand(1));
        rewriter.setInsertionPointBefore(op);
        rewriter.replaceOp(op, KnownSequences.build(rewriter, inserted, op.result(0).type(), op.location()));
        return true;
    }
}
