package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.canonicalize.CanonicalizationPatterns;
import dev.lathe.passes.rewrite.GreedyPatternDriver;

/**
 * {@code canonicalize}: folds ops through their definitions' {@code fold}, applies the
 * canonicalization patterns ({@link CanonicalizationPatterns}) and erases dead pure ops, with the
 * greedy driver, until nothing changes. Every rewrite is exact.
 *
 * <p>Options: {@code max-iterations} (default 10): whole-IR sweeps before giving up; not
 * converging is an error naming the patterns still applying.
 *
 * <p>Counters: {@code ops-folded}, {@code ops-erased}, {@code patterns-applied.<Pattern>}.
 *
 * <pre>
 * %1 = "nn.transpose"(%x) {perm = [1, 0]} : (tensor<2x3xf32>) -> tensor<3x2xf32>
 * %2 = "nn.transpose"(%1) {perm = [1, 0]} : (tensor<3x2xf32>) -> tensor<2x3xf32>
 * func.return %2 : tensor<2x3xf32>
 * // becomes
 * func.return %x : tensor<2x3xf32>
 * </pre>
 */
public final class CanonicalizePass extends Pass {

    private final Option<Long> maxIterations = longOption("max-iterations", 10,
            "whole-IR sweeps before reporting that the rewrites do not converge");

    @Override
    public String name() {
        return "canonicalize";
    }

    @Override
    public String description() {
        return "fold ops, apply canonicalization patterns and erase dead pure ops until a fixed point";
    }

    @Override
    public void run(Module module, PassContext context) {
        var config = GreedyPatternDriver.Config.DEFAULT.withMaxIterations(Math.toIntExact(maxIterations.get()));
        var result = new GreedyPatternDriver(CanonicalizationPatterns.all(), config).run(module.op());
        result.diagnostics().forEach(context::emit);
        context.add("ops-folded", result.opsFolded());
        context.add("ops-erased", result.opsErased());
        result.patternsApplied().forEach((pattern, n) -> context.add("patterns-applied." + pattern, n));
        if (!result.converged()) {
            context.fail(module.location(), result.failure());
        }
    }
}
