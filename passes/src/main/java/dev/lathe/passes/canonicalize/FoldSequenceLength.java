package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.dialect.nn.SequenceLengthOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.List;

/**
 * {@code nn.sequence_length} of a sequence of known elements is a constant.
 *
 * <pre>
 * %s = "nn.sequence_construct"(%a, %b) ...
 * %n = "nn.sequence_length"(%s) ...           becomes  %n = "nn.constant"() {value = dense&lt;2&gt; : tensor&lt;i64&gt;}
 * </pre>
 */
public final class FoldSequenceLength extends RewritePattern {

    @Override
    public String rootOpName() {
        return SequenceLengthOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        List<Value> elements = KnownSequences.elements(op.operand(0));
        if (elements == null) {
            return rewriter.notifyMatchFailure(op, "the length of the sequence is not known");
        }
        rewriter.setInsertionPointBefore(op);
        Operation c = rewriter.insert(NnConstants.create(
                DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64), elements.size()), op.location()));
        rewriter.replaceOp(op, c.result(0));
        return true;
    }
}
