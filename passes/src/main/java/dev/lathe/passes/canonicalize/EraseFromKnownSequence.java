package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.SequenceEraseOp;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nn.sequence_erase} from a non-empty sequence of known elements, of the last element or
 * at a constant position, is the sequence of the other elements.
 *
 * <pre>
 * %s = "nn.sequence_construct"(%a, %b) ...
 * %r = "nn.sequence_erase"(%s) ...            becomes  %r = "nn.sequence_construct"(%a)
 * </pre>
 */
public final class EraseFromKnownSequence extends RewritePattern {

    @Override
    public String rootOpName() {
        return SequenceEraseOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        List<Value> elements = KnownSequences.elements(op.operand(0));
        if (elements == null || elements.isEmpty()) {
            return rewriter.notifyMatchFailure(op, "the elements of the sequence are not known, or there are none");
        }
        int at = elements.size() - 1;
        if (op.numOperands() == 2) {
            Long p = KnownSequences.constantInt(op.operand(1));
            at = p == null ? -1 : KnownSequences.position(p, elements.size(), false);
            if (at < 0) {
                return rewriter.notifyMatchFailure(op, "the position is not a constant in range");
            }
        }
        List<Value> rest = new ArrayList<>(elements);
        rest.remove(at);
        rewriter.setInsertionPointBefore(op);
        rewriter.replaceOp(op, KnownSequences.build(rewriter, rest, op.result(0).type(), op.location()));
        return true;
    }
}
