package dev.lathe.passes.canonicalize;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.nn.TransposeOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.List;
import java.util.Map;

/**
 * {@code transpose(transpose(x, p1), p2)} becomes {@code transpose(x, c)} with
 * {@code c[i] = p1[p2[i]]}, or just {@code x} when {@code c} is the identity. The inner
 * transpose is left for dead-op removal when nothing else uses it.
 *
 * <pre>
 * %1 = "nn.transpose"(%x) {perm = [1, 0]} ...
 * %2 = "nn.transpose"(%1) {perm = [1, 0]} ...    uses of %2 become uses of %x
 * </pre>
 */
public final class ComposeTransposes extends RewritePattern {

    @Override
    public String rootOpName() {
        return TransposeOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        if (!(op.operand(0) instanceof OpResult r) || !r.owner().isA(TransposeOp.NAME)) {
            return rewriter.notifyMatchFailure(op, "operand is not produced by " + TransposeOp.NAME);
        }
        Operation inner = r.owner();
        Value x = inner.operand(0);
        if (!(x.type() instanceof TensorType xType) || !(op.result().type() instanceof TensorType resultType)) {
            return rewriter.notifyMatchFailure(op, "operand or result is not a tensor");
        }
        int[] first = TransposeOp.perm(inner.attributes(), xType.rank());
        int[] second = TransposeOp.perm(op.attributes(), xType.rank());
        long[] composed = new long[first.length];
        boolean identity = true;
        for (int i = 0; i < composed.length; i++) {
            composed[i] = first[second[i]];
            identity &= composed[i] == i;
        }
        if (identity) {
            if (!xType.isCompatibleWith(resultType)) {
                return rewriter.notifyMatchFailure(op, "types of the input and the result are incompatible");
            }
            rewriter.replaceOp(op, x);
            return true;
        }
        Operation merged = rewriter.create(TransposeOp.NAME, List.of(x), List.of(resultType),
                Map.<String, Attribute>of("perm", ArrayAttr.ofLongs(composed)), op.location());
        rewriter.replaceOp(op, merged.result());
        return true;
    }
}
