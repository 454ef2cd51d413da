package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.rewrite.OpEffects;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fold-constants}: computes every used PURE op whose operands are all constants with its
 * reference semantics ({@code evaluate}) and replaces it by an {@code nn.constant}. One sweep in
 * program order folds whole chains, since operands come first. Results with more than
 * {@code max-inline-elements} distinct elements go to a new module resource blob referenced by
 * {@code dense_resource}. Constants left unused are erased, and blobs no op references any more
 * are dropped. An op whose evaluation fails (integer division by zero) stays, with a warning.
 *
 * <p>Options: {@code max-inline-elements} (default 16): larger non-splat results become resource
 * blobs; {@code max-elements} (default 16777216): ops with a bigger operand or result are not
 * evaluated, which bounds compile time.
 *
 * <p>Counters: {@code ops-folded}, {@code resources-created}, {@code resources-dropped},
 * {@code ops-skipped-too-large}, {@code evaluation-failures}.
 *
 * <pre>
 * %0 = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
 * %1 = "nn.add"(%0, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
 * // becomes
 * %1 = "nn.constant"() {value = dense<2.0> : tensor<2xf32>} : () -> tensor<2xf32>
 * </pre>
 */
public final class FoldConstantsPass extends Pass {

    private final Option<Long> maxInlineElements = longOption("max-inline-elements", 16,
            "non-splat results with more elements go to a resource blob");
    private final Option<Long> maxElements = longOption("max-elements", 1L << 24,
            "ops with an operand or result of more elements are not evaluated");

    @Override
    public String name() {
        return "fold-constants";
    }

    @Override
    public String description() {
        return "evaluate pure ops whose operands are all constants and replace them by constants";
    }

    @Override
    public void run(Module module, PassContext context) {
        Set<String> mayBecomeUnused = ResourceConstants.referenced(module);
        Map<Operation, DenseElementsAttr> values = new IdentityHashMap<>(); // decoded constants, by op
        PatternRewriter rewriter = new PatternRewriter();
        List<Operation> ops = new ArrayList<>();
        module.walk(ops::add);
        for (Operation op : ops) {
            if (op.block() == null || !isCandidate(op)) {
                continue; // erased earlier in this sweep, or not foldable
            }
            List<DenseElementsAttr> inputs = constantInputs(op, module, values, context);
            if (inputs == null) {
                continue;
            }
            List<DenseElementsAttr> outputs = evaluate(op, inputs, context);
            if (outputs == null) {
                continue;
            }
            Set<Operation> definers = new LinkedHashSet<>();
            op.operands().forEach(v -> definers.add(((OpResult) v).owner()));
            rewriter.setInsertionPointBefore(op);
            List<Value> replacements = new ArrayList<>();
            for (DenseElementsAttr value : outputs) {
                Attribute attr = inlineOrResource(value, module, mayBecomeUnused, context);
                Operation constant = rewriter.insert(NnConstants.create(attr, op.location()));
                values.put(constant, value);
                replacements.add(constant.result());
            }
            rewriter.replaceOp(op, replacements);
            context.increment("ops-folded");
            for (Operation definer : definers) {
                if (OpEffects.isTriviallyDead(definer)) {
                    rewriter.eraseOp(definer);
                }
            }
        }
        context.add("resources-dropped", ResourceConstants.dropUnreferenced(module, mayBecomeUnused));
    }

    private static boolean isCandidate(Operation op) {
        return op.hasTrait(Trait.PURE) && !op.hasTrait(Trait.CONSTANT_LIKE) && op.definition().hasReferenceSemantics()
                && op.regions().isEmpty() && op.numResults() > 0 && op.hasUsesOfResults();
    }

    /** The operands' values, or null when one is not a constant or is too large to evaluate. */
    private List<DenseElementsAttr> constantInputs(Operation op, Module module, Map<Operation, DenseElementsAttr> values,
            PassContext context) {
        // Every check before any value is read: reading a resource copies it (an embedding table
        // feeding a Gather of run-time ids would be decoded on every round of simplify-shapes).
        for (Value v : op.operands()) {
            if (!(v instanceof OpResult r) || !OpEffects.isConstantLike(r.owner())) {
                return null;
            }
            if (tooLarge(v.type())) {
                context.increment("ops-skipped-too-large");
                return null;
            }
        }
        for (OpResult result : op.results()) {
            if (tooLarge(result.type())) {
                context.increment("ops-skipped-too-large");
                return null;
            }
        }
        List<DenseElementsAttr> inputs = new ArrayList<>();
        for (Value v : op.operands()) {
            OpResult r = (OpResult) v;
            DenseElementsAttr value = values.get(r.owner());
            if (value == null) {
                try {
                    value = NnConstants.isConstant(r.owner()) ? NnConstants.valueOf(r.owner(), module)
                            : r.owner().attr("value") instanceof DenseElementsAttr d ? d : null;
                } catch (RuntimeException e) {
                    context.emitWarning(r.owner().location(), "constant not folded into its users: " + e.getMessage());
                    return null;
                }
                if (value == null) {
                    return null;
                }
                values.put(r.owner(), value);
            }
            inputs.add(value);
        }
        return inputs;
    }

    /** The op's results from its reference semantics, or null (with a warning) when that fails. */
    private List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> inputs, PassContext context) {
        List<DenseElementsAttr> outputs;
        try {
            outputs = op.definition().evaluate(op, inputs);
        } catch (RuntimeException e) {
            context.increment("evaluation-failures");
            context.emitWarning(op.location(), "'" + op.name() + "' op not folded: evaluating it failed: " + e.getMessage());
            return null;
        }
        if (outputs.size() != op.numResults()) {
            throw new IllegalStateException("evaluate of '" + op.name() + "' returned " + outputs.size()
                    + " values for " + op.numResults() + " results");
        }
        for (int i = 0; i < outputs.size(); i++) {
            DenseElementsAttr value = outputs.get(i);
            if (value.numElements() > maxElements.get()) {
                context.increment("ops-skipped-too-large");
                return null;
            }
            Type resultType = op.result(i).type();
            if (!(resultType instanceof TensorType t) || !t.isCompatibleWith(value.type())) {
                throw new IllegalStateException("evaluate of '" + op.name() + "' returned " + value.type().text()
                        + " for result #" + i + " of type " + resultType.text());
            }
        }
        return outputs;
    }

    private boolean tooLarge(Type type) {
        return type instanceof TensorType t && t.hasStaticShape() && t.numElements() > maxElements.get();
    }

    /** The value inline, or in a new 64-byte aligned resource blob when it is large and not a splat. */
    private Attribute inlineOrResource(DenseElementsAttr value, Module module, Set<String> created, PassContext context) {
        if (value.isSplat() || value.numElements() <= maxInlineElements.get()) {
            return value;
        }
        DenseResourceAttr resource = ResourceConstants.resource(module, "folded", value.type(), value.toBytes());
        created.add(resource.name()); // an intermediate result folded further is dropped at the end
        context.increment("resources-created");
        return resource;
    }


}
