package dev.lathe.passes.canonicalize;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.List;
import java.util.Map;

/**
 * The step shared by the patterns that turn an op's constant shape operands into attributes
 * (ShapeOperandsToAttributes, ReduceAxesToAttribute, ResizeTargetToAttributes,
 * FourierLengthsToAttributes): the same op with fewer operands and more attributes, whose result
 * types its own inference makes static.
 */
final class StaticForm {

    private StaticForm() {}

    /** The value of {@code v} when an inline constant defines it, else null. */
    static DenseElementsAttr constant(Value v) {
        return v instanceof OpResult r && r.owner().hasTrait(Trait.CONSTANT_LIKE)
                && r.owner().attr("value") instanceof DenseElementsAttr d ? d : null;
    }

    /**
     * Replaces {@code op} by {@code op.name()} over {@code operands} with {@code attrs}, result
     * types inferred; a match failure (naming {@code what}) when the values do not fit the op.
     */
    static boolean replace(Operation op, List<Value> operands, Map<String, Attribute> attrs, String what,
            PatternRewriter rewriter) {
        List<Type> types;
        try {
            types = op.definition().inferResultTypes(operands.stream().map(Value::type).toList(), attrs);
        } catch (RuntimeException invalid) {
            return rewriter.notifyMatchFailure(op, "the constant " + what + " do not fit: " + invalid.getMessage());
        }
        rewriter.setInsertionPointBefore(op);
        Operation rewritten = rewriter.create(op.name(), operands, types, attrs, op.location());
        for (int r = 0; r < op.numResults(); r++) {
            rewritten.result(r).setNameHint(op.result(r).nameHint());
        }
        rewriter.replaceOp(op, rewritten.results());
        return true;
    }
}
