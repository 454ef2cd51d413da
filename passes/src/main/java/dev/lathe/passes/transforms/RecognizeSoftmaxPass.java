package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.recognize.RecognizeSoftmax;
import dev.lathe.passes.rewrite.GreedyPatternDriver;
import java.util.List;

/**
 * {@code recognize-softmax}: replaces decomposed softmaxes ({@code exp(x - max(x)) / sum(exp(x - max(x)))},
 * with or without the max, over any axes) by {@code nn.softmax}, and log-softmaxes
 * ({@code d - log(sum(exp(d)))}, {@code log(softmax(x))}) by {@code nn.log_softmax}
 * ({@link RecognizeSoftmax}), with the greedy driver without folding; the replaced chain and other
 * dead pure ops are erased. Exact up to float rounding (and overflow of the unshifted form).
 *
 * <p>No options. Counters: {@code softmaxes-recognized}, {@code ops-erased}.
 *
 * <pre>
 * %m = "nn.reduce_max"(%x) {axes = [-1], keepdims = true}   %d = "nn.sub"(%x, %m)   ...
 * %y = "nn.div"(%e, %s)
 * // becomes
 * %y = "nn.softmax"(%x) {axes = [2]}
 * </pre>
 */
public final class RecognizeSoftmaxPass extends Pass {

    @Override
    public String name() {
        return "recognize-softmax";
    }

    @Override
    public String description() {
        return "replace decomposed softmaxes and log-softmaxes by nn.softmax and nn.log_softmax";
    }

    @Override
    public void run(Module module, PassContext context) {
        var config = GreedyPatternDriver.Config.DEFAULT.withFold(false);
        var result = new GreedyPatternDriver(List.of(new RecognizeSoftmax()), config).run(module.op());
        result.diagnostics().forEach(context::emit);
        context.add("softmaxes-recognized", result.patternsApplied().getOrDefault("RecognizeSoftmax", 0L));
        context.add("ops-erased", result.opsErased());
        if (!result.converged()) {
            context.fail(module.location(), result.failure());
        }
    }
}
