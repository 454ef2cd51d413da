package dev.lathe.passes.canonicalize;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.dialect.nn.ReshapeOp;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;

/**
 * {@code reshape(reshape(x))} becomes {@code reshape(x)} with the outer target shape: a
 * reshape only depends on its input's element count, which the inner reshape preserves
 * ({@code nn.reshape} sizes are literal, so there is no ONNX "0 copies the input dim" to undo).
 *
 * <pre>
 * %1 = "nn.reshape"(%x) {shape = [6]} : (tensor<2x3xf32>) -> tensor<6xf32>
 * %2 = "nn.reshape"(%1) {shape = [3, 2]} ...    becomes    %2 = "nn.reshape"(%x) {shape = [3, 2]} ...
 * </pre>
 */
public final class ComposeReshapes extends RewritePattern {

    @Override
    public String rootOpName() {
        return ReshapeOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        if (op.numOperands() != 1) {
            // The dynamic form may copy its input's dims (copy_zero_dims), so its input matters.
            return rewriter.notifyMatchFailure(op, "the target shape is an operand");
        }
        if (!(op.operand(0) instanceof OpResult r) || !r.owner().isA(ReshapeOp.NAME)) {
            return rewriter.notifyMatchFailure(op, "operand is not produced by " + ReshapeOp.NAME);
        }
        Operation inner = r.owner();
        rewriter.modifyOpInPlace(op, () -> op.setOperand(0, inner.operand(0)));
        return true;
    }
}
