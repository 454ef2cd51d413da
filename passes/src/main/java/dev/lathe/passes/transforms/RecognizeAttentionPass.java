package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.recognize.RecognizeAttention;
import dev.lathe.passes.rewrite.GreedyPatternDriver;
import java.util.List;

/**
 * {@code recognize-attention}: replaces the scaled dot-product attention core of exported
 * transformers, {@code softmax((q · kᵀ) / c + mask) · v}, by one {@code nn.attention}
 * ({@link RecognizeAttention}: scale as a division or product with a one-element constant, optional
 * mask, k given through a last-two-dims transpose or already transposed), with the greedy driver
 * without folding; the replaced chains and other dead pure ops are erased. Exact up to float
 * rounding, except that a fully masked row ({@code -inf} everywhere) gives zeros instead of NaN.
 *
 * <p>No options. Counters: {@code attentions-recognized}, {@code ops-erased}.
 *
 * <pre>
 * %kt = "nn.transpose"(%k) {perm = [0, 1, 3, 2]}   %s = "nn.matmul"(%q, %kt)
 * %d = "nn.div"(%s, %c8)   %a = "nn.add"(%d, %mask)   %p = "nn.softmax"(%a) {axes = [-1]}
 * %o = "nn.matmul"(%p, %v)
 * // becomes
 * %o = "nn.attention"(%q, %k, %v, %mask) {k_transposed = false, scale = 0.125 : f32}
 * </pre>
 */
public final class RecognizeAttentionPass extends Pass {

    @Override
    public String name() {
        return "recognize-attention";
    }

    @Override
    public String description() {
        return "replace softmax(q·kᵀ·scale + mask)·v by nn.attention";
    }

    @Override
    public void run(Module module, PassContext context) {
        var config = GreedyPatternDriver.Config.DEFAULT.withFold(false);
        var result = new GreedyPatternDriver(List.of(new RecognizeAttention()), config).run(module.op());
        result.diagnostics().forEach(context::emit);
        context.add("attentions-recognized",
                result.patternsApplied().values().stream().mapToLong(Long::longValue).sum());
        context.add("ops-erased", result.opsErased());
        if (!result.converged()) {
            context.fail(module.location(), result.failure());
        }
    }
}
