package dev.lathe.passes.canonicalize;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.dialect.nn.OptionalGetElementOp;
import dev.lathe.ir.dialect.nn.OptionalOp;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;

/**
 * {@code nn.optional_get_element} of an {@code nn.optional} holding a value is that value, and
 * of a plain tensor or sequence (a present value standing for the optional) the value itself.
 * An empty optional is left for the run-time error.
 *
 * <pre>
 * %o = "nn.optional"(%x) ...
 * %y = "nn.optional_get_element"(%o) ...      uses of %y become uses of %x
 * </pre>
 */
public final class FoldOptionalGetElement extends RewritePattern {

    @Override
    public String rootOpName() {
        return OptionalGetElementOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        if (!(op.operand(0).type() instanceof OptionalType)) {
            rewriter.replaceOp(op, op.operand(0));
            return true;
        }
        if (op.operand(0) instanceof OpResult r && r.owner().isA(OptionalOp.NAME) && r.owner().numOperands() == 1) {
            rewriter.replaceOp(op, r.owner().operand(0));
            return true;
        }
        return rewriter.notifyMatchFailure(op, "the optional is not known to hold a value");
    }
}
