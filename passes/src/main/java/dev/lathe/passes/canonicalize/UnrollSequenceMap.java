package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Block;
import dev.lathe.ir.IRMapping;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.SequenceMapOp;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nn.sequence_map} over sequences of known elements becomes its body once per position,
 * placed before it (block argument i bound to element k of sequence operand i, or to tensor
 * operand i itself), and each result the sequence of what the copies yield. The copies are as
 * many as the sequences have elements, so the code grows no more than the values already did.
 *
 * <pre>
 * %s = "nn.sequence_construct"(%a, %b) ...
 * %r = "nn.sequence_map"(%s) ({ ^bb0(%e): %y = "nn.relu"(%e) ... "nn.yield"(%y) }) ...
 * // becomes
 * %ya = "nn.relu"(%a) ...   %yb = "nn.relu"(%b) ...   %r = "nn.sequence_construct"(%ya, %yb)
 * </pre>
 */
public final class UnrollSequenceMap extends RewritePattern {

    @Override
    public String rootOpName() {
        return SequenceMapOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        List<List<Value>> sequences = new ArrayList<>();
        int n = -1;
        for (Value operand : op.operands()) {
            if (!(operand.type() instanceof SequenceType)) {
                sequences.add(null);
                continue;
            }
            List<Value> elements = KnownSequences.elements(operand);
            if (elements == null || (n >= 0 && elements.size() != n)) {
                return rewriter.notifyMatchFailure(op, "a sequence operand's elements are not known, or lengths differ");
            }
            n = elements.size();
            sequences.add(elements);
        }
        if (op.region(0).blocks().size() != 1) {
            return rewriter.notifyMatchFailure(op, "the body is not one block");
        }
        Block body = op.region(0).entryBlock();
        Operation yield = body.terminator();
        List<List<Value>> results = new ArrayList<>();
        for (int j = 0; j < op.numResults(); j++) {
            results.add(new ArrayList<>());
        }
        rewriter.setInsertionPointBefore(op);
        for (int k = 0; k < n; k++) {
            IRMapping mapping = new IRMapping();
            for (int i = 0; i < op.numOperands(); i++) {
                mapping.map(body.argument(i), sequences.get(i) != null ? sequences.get(i).get(k) : op.operand(i));
            }
            for (Operation inner : body.operations()) {
                if (inner != yield) {
                    rewriter.insert(inner.clone(mapping));
                }
            }
            for (int j = 0; j < op.numResults(); j++) {
                results.get(j).add(mapping.lookupOrDefault(yield.operand(j)));
            }
        }
        List<Value> replacements = new ArrayList<>();
        for (int j = 0; j < op.numResults(); j++) {
            replacements.add(KnownSequences.build(rewriter, results.get(j), op.result(j).type(), op.location()));
        }
        rewriter.replaceOp(op, replacements);
        return true;
    }
}
