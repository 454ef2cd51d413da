package dev.lathe.passes.rewrite;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.dialect.Trait;

/**
 * What passes may assume about an op's side effects. Unregistered ops are treated as having
 * side effects: nothing is known about them, so they are never erased or merged.
 */
public final class OpEffects {

    private OpEffects() {}

    /** PURE, and every op nested in its regions is PURE too (a pure op may hold a terminator). */
    public static boolean isPureTree(Operation op) {
        if (!op.hasTrait(Trait.PURE)) {
            return false;
        }
        for (Region r : op.regions()) {
            for (Block b : r.blocks()) {
                for (Operation child = b.first(); child != null; child = child.nextOp()) {
                    if (!isPureTree(child)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** An op that can be erased because nothing observes it: pure, unused, not a terminator. */
    public static boolean isTriviallyDead(Operation op) {
        return !op.hasUsesOfResults() && !op.hasTrait(Trait.TERMINATOR) && op.block() != null && isPureTree(op);
    }

    /** Whether the op produces a constant from its {@code value} attribute. */
    public static boolean isConstantLike(Operation op) {
        return op.hasTrait(Trait.CONSTANT_LIKE) && op.attr("value") != null;
    }
}
