package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.nn.ConcatFromSequenceOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code nn.concat_from_sequence} of a non-empty sequence of known elements is an
 * {@code nn.concat} of them; with {@code new_axis} each element first gets the new axis
 * ({@code nn.unsqueeze}). An empty sequence is left for the run-time error.
 *
 * <pre>
 * %s = "nn.sequence_construct"(%a, %b) ...
 * %t = "nn.concat_from_sequence"(%s) {axis = 0} ...   becomes  %t = "nn.concat"(%a, %b) {axis = 0}
 * </pre>
 */
public final class ConcatKnownSequence extends RewritePattern {

    @Override
    public String rootOpName() {
        return ConcatFromSequenceOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        List<Value> elements = KnownSequences.elements(op.operand(0));
        if (elements == null || elements.isEmpty() || !(elements.get(0).type() instanceof TensorType first)) {
            return rewriter.notifyMatchFailure(op, "the elements of the sequence are not known, or there are none");
        }
        boolean newAxis = op.attr("new_axis") instanceof BoolAttr b && b.value();
        long axis = ((IntegerAttr) op.attr("axis")).value();
        int rank = first.rank() + (newAxis ? 1 : 0);
        if (axis < -rank || axis >= rank) {
            return rewriter.notifyMatchFailure(op, "axis " + axis + " is out of range");
        }
        long a = axis < 0 ? axis + rank : axis;
        rewriter.setInsertionPointBefore(op);
        List<Value> parts = new ArrayList<>();
        for (Value e : elements) {
            parts.add(newAxis ? create(rewriter, op, "nn.unsqueeze", List.of(e), Map.of("axes", ArrayAttr.ofLongs(a))) : e);
        }
        rewriter.replaceOp(op, create(rewriter, op, "nn.concat", parts, Map.of("axis", IntegerAttr.of(a))));
        return true;
    }

    private static Value create(PatternRewriter rewriter, Operation op, String name, List<Value> operands,
            Map<String, Attribute> attrs) {
        List<Type> types = DialectRegistry.global().lookup(name).orElseThrow()
                .inferResultTypes(operands.stream().map(Value::type).toList(), attrs);
        return rewriter.create(name, operands, types, attrs, op.location()).result(0);
    }
}
