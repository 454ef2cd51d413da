package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.recognize.RecognizeRmsNorm;
import dev.lathe.passes.rewrite.GreedyPatternDriver;
import java.util.List;

/**
 * {@code recognize-rms-norm}: replaces the decomposed RMSNorm of exported models
 * ({@code x * rsqrt(mean(x^2) + eps) * gamma}, with the division, reciprocal and pow spellings) by
 * one {@code nn.rms_norm} ({@link RecognizeRmsNorm}), with the greedy driver without folding; the
 * replaced chain and other dead pure ops are erased. Exact up to float rounding.
 *
 * <p>No options. Counters: {@code rms-norms-recognized}, {@code ops-erased}.
 *
 * <pre>
 * %p = "nn.pow"(%x, %two)   %v = "nn.reduce_mean"(%p) {axes = [-1], keepdims = true}   ...
 * %y = "nn.mul"(%n, %gamma)
 * // becomes
 * %y = "nn.rms_norm"(%x, %gamma) {axis = -1 : i64, epsilon = 9.99999997e-07 : f32}
 * </pre>
 */
public final class RecognizeRmsNormPass extends Pass {

    @Override
    public String name() {
        return "recognize-rms-norm";
    }

    @Override
    public String description() {
        return "replace decomposed RMS normalizations by nn.rms_norm";
    }

    @Override
    public void run(Module module, PassContext context) {
        var config = GreedyPatternDriver.Config.DEFAULT.withFold(false);
        var result = new GreedyPatternDriver(List.of(new RecognizeRmsNorm()), config).run(module.op());
        result.diagnostics().forEach(context::emit);
        context.add("rms-norms-recognized", result.patternsApplied().getOrDefault("RecognizeRmsNorm", 0L));
        context.add("ops-erased", result.opsErased());
        if (!result.converged()) {
            context.fail(module.location(), result.failure());
        }
    }
}
