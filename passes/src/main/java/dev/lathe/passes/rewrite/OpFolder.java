package dev.lathe.passes.rewrite;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Folds one op through its definition's {@code fold} for the greedy driver (MLIR's
 * OperationFolder): constant operands are the {@code value} attributes of CONSTANT_LIKE
 * definers; a folded constant reuses an equal constant that dominates the op, or is
 * materialized just before it.
 */
final class OpFolder {

    private final PatternRewriter rewriter;
    private final ConstantMaterializer materializer;
    private final Predicate<Operation> isErased;
    private final List<Diagnostic> diagnostics;
    private final Map<Attribute, List<Operation>> constants = new HashMap<>();

    OpFolder(PatternRewriter rewriter, ConstantMaterializer materializer, Predicate<Operation> isErased,
            List<Diagnostic> diagnostics) {
        this.rewriter = rewriter;
        this.materializer = materializer;
        this.isErased = isErased;
        this.diagnostics = diagnostics;
    }

    void clearConstants() {
        constants.clear();
    }

    /** Makes a constant op available for reuse by later folds. */
    void recordConstant(Operation op) {
        if (OpEffects.isConstantLike(op) && op.numResults() == 1) {
            constants.computeIfAbsent(op.attr("value"), k -> new ArrayList<>()).add(op);
        }
    }

    /** Folds {@code op} if its definition can; returns whether the IR changed. */
    boolean tryFold(Operation op) {
        List<Attribute> constantOperands = new ArrayList<>(op.numOperands());
        for (Value v : op.operands()) {
            constantOperands.add(v instanceof OpResult r && OpEffects.isConstantLike(r.owner()) ? r.owner().attr("value") : null);
        }
        List<FoldResult> folded;
        try {
            folded = op.definition().fold(op, constantOperands);
        } catch (RuntimeException e) {
            // A folder that cannot handle its input must not stop compilation: leave the op.
            diagnostics.add(new Diagnostic(Diagnostic.Severity.WARNING, op.location(),
                    "'" + op.name() + "' op was not folded: its folder failed with " + e));
            return false;
        }
        if (folded == null || folded.isEmpty() || !applicable(op, folded)) {
            return false;
        }
        List<Value> replacements = new ArrayList<>();
        for (int i = 0; i < folded.size(); i++) {
            Value v = switch (folded.get(i)) {
                case FoldResult.Existing e -> e.value();
                case FoldResult.Constant c -> materialize(c.value(), op);
            };
            replacements.add(v == null ? op.result(i) : v); // null: the materializer declined
        }
        if (replacements.equals(new ArrayList<Value>(op.results()))) {
            return false;
        }
        for (int i = 0; i < replacements.size(); i++) {
            rewriter.replaceAllUsesWith(op.result(i), replacements.get(i));
        }
        if (OpEffects.isTriviallyDead(op)) {
            rewriter.eraseOp(op);
        }
        return true;
    }

    /** Checks every result before any constant is created, so a rejected fold leaves nothing behind. */
    private static boolean applicable(Operation op, List<FoldResult> folded) {
        if (folded.size() != op.numResults()) {
            throw new IllegalStateException("folder of '" + op.name() + "' returned " + folded.size()
                    + " results for an op with " + op.numResults());
        }
        boolean changes = false;
        for (int i = 0; i < folded.size(); i++) {
            Type resultType = op.result(i).type();
            switch (folded.get(i)) {
                case FoldResult.Existing e -> {
                    if (e.value() != op.result(i)) {
                        if (!fits(e.value().type(), resultType)) {
                            return false;
                        }
                        changes = true;
                    }
                }
                case FoldResult.Constant c -> {
                    Type t = ConstantMaterializer.typeOf(c.value());
                    if (t == null || !fits(t, resultType)) {
                        return false;
                    }
                    changes = true;
                }
            }
        }
        return changes;
    }

    /** A replacement type must equal the result type, or be a tensor type compatible with it. */
    private static boolean fits(Type replacement, Type resultType) {
        return replacement == resultType || (replacement instanceof TensorType a && resultType instanceof TensorType b
                && a.isCompatibleWith(b));
    }

    /** An equal constant that dominates {@code op}, or a new one inserted just before it. */
    private Value materialize(Attribute value, Operation op) {
        for (Operation existing : constants.getOrDefault(value, List.of())) {
            if (!isErased.test(existing) && Dominance.properlyDominates(existing, op)) {
                return existing.result(0);
            }
        }
        Operation constant = materializer.materialize(value, op.location());
        if (constant == null) {
            return null;
        }
        rewriter.setInsertionPointBefore(op);
        return rewriter.insert(constant).result(0); // the driver's listener records it
    }
}
