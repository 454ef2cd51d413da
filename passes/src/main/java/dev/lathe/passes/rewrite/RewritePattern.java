package dev.lathe.passes.rewrite;

import dev.lathe.ir.Operation;

/**
 * One local rewrite: match an op and, if it matches, change the IR through the given
 * {@link PatternRewriter} (never directly, so the driver sees every change).
 *
 * <p>A pattern returns {@code true} only when it changed the IR; a pattern that claims a change
 * it did not make keeps the driver iterating until its cap, which is reported as non-convergence.
 */
public abstract class RewritePattern {

    /** The op name this pattern is tried on, or null to try it on every op. */
    public String rootOpName() {
        return null;
    }

    /** Higher benefit is tried first; patterns of equal benefit keep their registration order. */
    public int benefit() {
        return 1;
    }

    /** The name used in counters and in non-convergence reports. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** Rewrites {@code op} and returns true, or returns false leaving the IR untouched. */
    public abstract boolean matchAndRewrite(Operation op, PatternRewriter rewriter);

    @Override
    public String toString() {
        return name();
    }
}
