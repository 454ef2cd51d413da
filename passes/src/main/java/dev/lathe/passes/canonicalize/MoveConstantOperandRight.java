package dev.lathe.passes.canonicalize;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.passes.rewrite.OpEffects;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves constant operands of a COMMUTATIVE op after the others, keeping each group's order, so
 * later patterns and folders only look for constants on the right and CSE sees one form.
 *
 * <pre>
 * %1 = "nn.add"(%c, %x) : ...   becomes   %1 = "nn.add"(%x, %c) : ...
 * </pre>
 */
public final class MoveConstantOperandRight extends RewritePattern {

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        if (!op.hasTrait(Trait.COMMUTATIVE) || op.numOperands() < 2) {
            return false;
        }
        List<Value> others = new ArrayList<>();
        List<Value> constants = new ArrayList<>();
        for (Value v : op.operands()) {
            (isConstant(v) ? constants : others).add(v);
        }
        List<Value> reordered = new ArrayList<>(others);
        reordered.addAll(constants);
        if (reordered.equals(op.operands())) {
            return rewriter.notifyMatchFailure(op, "constant operands are already on the right");
        }
        rewriter.modifyOpInPlace(op, () -> op.setOperands(reordered));
        return true;
    }

    private static boolean isConstant(Value v) {
        return v instanceof OpResult r && OpEffects.isConstantLike(r.owner());
    }
}
