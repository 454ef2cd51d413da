package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.recognize.RecognizeErfGelu;
import dev.lathe.passes.recognize.RecognizeTanhGelu;
import dev.lathe.passes.rewrite.GreedyPatternDriver;
import java.util.List;

/**
 * {@code recognize-gelu}: replaces the decomposed GELUs of exported models by one
 * {@code nn.gelu}: {@code x * 0.5 * (1 + erf(x / sqrt(2)))} ({@link RecognizeErfGelu}) and
 * {@code 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))} ({@link RecognizeTanhGelu}), with
 * the greedy driver without folding; the replaced chains and other dead pure ops are erased.
 * Exact up to float rounding.
 *
 * <p>No options. Counters: {@code gelus-recognized}, {@code patterns-applied.<Pattern>},
 * {@code ops-erased}.
 *
 * <pre>
 * %1 = "nn.div"(%x, %sqrt2)   %2 = "nn.erf"(%1)   %3 = "nn.add"(%2, %one)
 * %4 = "nn.mul"(%x, %3)       %5 = "nn.mul"(%4, %half)
 * // becomes
 * %5 = "nn.gelu"(%x) {approximate = "none"}
 * </pre>
 */
public final class RecognizeGeluPass extends Pass {

    @Override
    public String name() {
        return "recognize-gelu";
    }

    @Override
    public String description() {
        return "replace decomposed erf and tanh GELUs by nn.gelu";
    }

    @Override
    public void run(Module module, PassContext context) {
        var config = GreedyPatternDriver.Config.DEFAULT.withFold(false);
        var result = new GreedyPatternDriver(List.of(new RecognizeErfGelu(), new RecognizeTanhGelu()), config)
                .run(module.op());
        result.diagnostics().forEach(context::emit);
        context.add("gelus-recognized", result.patternsApplied().values().stream().mapToLong(Long::longValue).sum());
        result.patternsApplied().forEach((pattern, n) -> context.add("patterns-applied." + pattern, n));
        context.add("ops-erased", result.opsErased());
        if (!result.converged()) {
            context.fail(module.location(), result.failure());
        }
    }
}
