package dev.lathe.passes.transforms;

import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.rewrite.OpEffects;
import dev.lathe.passes.rewrite.PatternRewriter;

/**
 * {@code dce}: erases PURE ops (with everything nested in them) whose results are unused,
 * sweeping each block bottom-up so a chain of dead ops goes in one sweep, and sweeping again
 * until nothing changes. Terminators, ops with side effects and unregistered ops (whose effects
 * are unknown) are never erased.
 *
 * <p>No options. Counter: {@code ops-erased} (nested ops included).
 *
 * <pre>
 * %0 = "nn.relu"(%x) : (tensor<2xf32>) -> tensor<2xf32>    // unused: erased
 * func.return %x : tensor<2xf32>
 * </pre>
 */
public final class DcePass extends Pass {

    private final PatternRewriter rewriter = new PatternRewriter();
    private long erased;

    @Override
    public String name() {
        return "dce";
    }

    @Override
    public String description() {
        return "erase unused pure ops until nothing changes";
    }

    @Override
    public void run(Module module, PassContext context) {
        erased = 0;
        while (sweep(module.body())) {
            // repeat: erasing inside a region can make the op holding it dead
        }
        context.add("ops-erased", erased);
    }

    /** Erases dead ops of {@code block}, last to first; returns whether anything was erased. */
    private boolean sweep(Block block) {
        boolean changed = false;
        for (Operation op = block.last(); op != null; ) {
            Operation previous = op.prevOp();
            for (Region r : op.regions()) {
                for (Block b : r.blocks()) {
                    changed |= sweep(b);
                }
            }
            if (OpEffects.isTriviallyDead(op)) {
                long[] count = {0};
                op.walk(o -> count[0]++);
                rewriter.eraseOp(op);
                erased += count[0];
                changed = true;
            }
            op = previous;
        }
        return changed;
    }
}
