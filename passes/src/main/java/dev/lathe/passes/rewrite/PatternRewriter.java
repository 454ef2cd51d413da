package dev.lathe.passes.rewrite;

import dev.lathe.ir.Block;
import dev.lathe.ir.Location;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one way patterns and passes mutate IR. Every change is reported to a {@link Listener},
 * which is how the greedy driver knows which ops to revisit; without a listener the rewriter is
 * a plain builder usable by any pass.
 */
public class PatternRewriter {

    /** Observes changes; the greedy driver implements it to maintain its worklist. */
    public interface Listener {
        /** {@code op} was inserted into a block. */
        default void operationInserted(Operation op) {}

        /** {@code op} changed in place (operands, attributes or result types). */
        default void operationModified(Operation op) {}

        /** {@code op} is about to be erased; its operands are still attached. Nested ops come first. */
        default void operationErased(Operation op) {}

        /** A pattern declined {@code op}; kept for debugging. */
        default void matchFailure(Operation op, String reason) {}
    }

    private static final Listener NO_LISTENER = new Listener() {};

    private final Listener listener;
    private Block insertionBlock;
    private Operation insertionAnchor; // insert before this op; null means at the end of the block

    public PatternRewriter() {
        this(NO_LISTENER);
    }

    public PatternRewriter(Listener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    // ---- insertion point

    public void setInsertionPointBefore(Operation op) {
        requireInBlock(op);
        insertionBlock = op.block();
        insertionAnchor = op;
    }

    public void setInsertionPointAfter(Operation op) {
        requireInBlock(op);
        insertionBlock = op.block();
        insertionAnchor = op.nextOp();
    }

    public void setInsertionPointToStart(Block block) {
        insertionBlock = block;
        insertionAnchor = block.first();
    }

    public void setInsertionPointToEnd(Block block) {
        insertionBlock = block;
        insertionAnchor = null;
    }

    // ---- creating ops

    /** Creates an op and inserts it at the insertion point. */
    public Operation create(String name, List<? extends Value> operands, List<? extends Type> resultTypes,
            Map<String, Attribute> attributes, Location location) {
        return insert(Operation.create(name, operands, resultTypes, attributes, location));
    }

    /** Inserts a detached op (e.g. one built by a dialect helper) at the insertion point. */
    public Operation insert(Operation op) {
        if (insertionBlock == null) {
            throw new IllegalStateException("no insertion point set before inserting " + op);
        }
        insertionBlock.insertBefore(insertionAnchor, op);
        op.walk(listener::operationInserted);
        return op;
    }

    // ---- replacing and erasing

    /** Replaces every use of {@code op}'s results by {@code replacements}, then erases {@code op}. */
    public void replaceOp(Operation op, List<? extends Value> replacements) {
        if (replacements.size() != op.numResults()) {
            throw new IllegalArgumentException("replacing " + op + " with " + op.numResults() + " results by "
                    + replacements.size() + " values");
        }
        for (int i = 0; i < replacements.size(); i++) {
            replaceAllUsesWith(op.result(i), replacements.get(i));
        }
        eraseOp(op);
    }

    public void replaceOp(Operation op, Value replacement) {
        replaceOp(op, List.of(replacement));
    }

    /** Replaces every use of {@code from} by {@code to}; each user is reported as modified. */
    public void replaceAllUsesWith(Value from, Value to) {
        if (from == to) {
            return;
        }
        List<Operation> users = from.users();
        from.replaceAllUsesWith(to);
        for (Operation user : users) {
            listener.operationModified(user);
        }
    }

    /** Erases an op whose results have no uses left, with everything nested in it. */
    public void eraseOp(Operation op) {
        for (OpResult r : op.results()) {
            if (r.hasUses()) {
                throw new IllegalStateException("erasing " + op + " whose result #" + r.index() + " still has uses");
            }
        }
        op.walkPostOrder(listener::operationErased);
        op.erase();
    }

    /** Runs {@code change} on {@code op} (set operands, attributes, result types) and reports it. */
    public void modifyOpInPlace(Operation op, Runnable change) {
        change.run();
        listener.operationModified(op);
    }

    /** Records why a pattern did not apply; returns false so a pattern can {@code return} it. */
    public boolean notifyMatchFailure(Operation op, String reason) {
        listener.matchFailure(op, reason);
        return false;
    }

    private static void requireInBlock(Operation op) {
        if (op.block() == null) {
            throw new IllegalArgumentException(op + " is not in a block");
        }
    }
}
