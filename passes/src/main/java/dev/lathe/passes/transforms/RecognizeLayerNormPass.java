package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.recognize.RecognizeLayerNorm;
import dev.lathe.passes.rewrite.GreedyPatternDriver;
import java.util.List;

/**
 * {@code recognize-layer-norm}: replaces the decomposed LayerNorm of exported models
 * ({@code (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) * gamma + beta}) by one
 * {@code nn.layer_normalization} ({@link RecognizeLayerNorm}), with the greedy driver without
 * folding; the replaced chain and other dead pure ops are erased. Exact up to float rounding.
 *
 * <p>No options. Counters: {@code layer-norms-recognized}, {@code ops-erased}.
 *
 * <pre>
 * %m = "nn.reduce_mean"(%x) {axes = [-1], keepdims = true}   %d = "nn.sub"(%x, %m)   ...
 * %y = "nn.add"(%g, %beta)
 * // becomes
 * %y, %mean, %inv = "nn.layer_normalization"(%x, %gamma, %beta) {axis = -1 : i64, epsilon = 9.99999997e-13 : f32}
 * </pre>
 */
public final class RecognizeLayerNormPass extends Pass {

    @Override
    public String name() {
        return "recognize-layer-norm";
    }

    @Override
    public String description() {
        return "replace decomposed layer normalizations by nn.layer_normalization";
    }

    @Override
    public void run(Module module, PassContext context) {
        var config = GreedyPatternDriver.Config.DEFAULT.withFold(false);
        var result = new GreedyPatternDriver(List.of(new RecognizeLayerNorm()), config).run(module.op());
        result.diagnostics().forEach(context::emit);
        context.add("layer-norms-recognized", result.patternsApplied().getOrDefault("RecognizeLayerNorm", 0L));
        context.add("ops-erased", result.opsErased());
        if (!result.converged()) {
            context.fail(module.location(), result.failure());
        }
    }
}
