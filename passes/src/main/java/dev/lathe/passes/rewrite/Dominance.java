package dev.lathe.passes.rewrite;

import dev.lathe.ir.Operation;

/**
 * Structural dominance without a dominator tree: an op dominates the ops after it in its block
 * and everything nested in them. Sibling blocks of one region are not related, which is
 * conservative for multi-block regions (reuse is refused, never wrongly allowed).
 */
public final class Dominance {

    private Dominance() {}

    /** Whether {@code def}'s results are visible at {@code user} (and {@code def != user}). */
    public static boolean properlyDominates(Operation def, Operation user) {
        if (def.block() == null) {
            return false;
        }
        Operation ancestor = user;
        while (ancestor != null && ancestor.block() != def.block()) {
            ancestor = ancestor.parentOp();
        }
        return ancestor != null && ancestor != def && def.isBeforeInBlock(ancestor);
    }
}
