package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import java.util.List;
import java.util.Map;

/**
 * {@code simplify-shapes}: {@code infer-shapes}, {@code canonicalize} and {@code fold-constants}
 * in turn until the IR stops changing. Shape arithmetic in exported models is layered (a
 * {@code Shape} of a result whose type only becomes static after an earlier {@code Reshape} took
 * a folded target), and each round resolves one layer; with fixed input shapes this ends fully
 * static. Counters of the three passes are summed; {@code rounds} counts the rounds.
 *
 * <p>Option {@code max-rounds} (default 100): a round limit, reported as an error if reached.
 *
 * <pre>
 * %s = "nn.shape"(%x) : (tensor<1x128x384xf32>) -> tensor<3xi64>  ... "nn.concat" ...
 * %r = "nn.reshape"(%x, %t) {copy_zero_dims = true} : (...) -> tensor<?x?x?x?xf32>
 * // becomes
 * %r = "nn.reshape"(%x) {shape = [1, 128, 12, 32]} : (...) -> tensor<1x128x12x32xf32>
 * </pre>
 */
public final class SimplifyShapesPass extends Pass {

    private final Option<Long> maxRounds = longOption("max-rounds", 100, "rounds before giving up");

    @Override
    public String name() {
        return "simplify-shapes";
    }

    @Override
    public String description() {
        return "infer-shapes, canonicalize and fold-constants until nothing changes";
    }

    @Override
    public void run(Module module, PassContext context) {
        List<Pass> round = List.of(new InferShapesPass(), new CanonicalizePass(), new FoldConstantsPass());
        long previous = fingerprint(module);
        for (long i = 1; i <= maxRounds.get(); i++) {
            for (Pass pass : round) {
                PassContext inner = new PassContext(pass);
                pass.run(module, inner);
                inner.diagnostics().forEach(context::emit);
                for (Map.Entry<String, Long> c : inner.counters().entrySet()) {
                    context.add(c.getKey(), c.getValue());
                }
                if (inner.failed()) {
                    context.signalFailure();
                    return;
                }
            }
            context.increment("rounds");
            long now = fingerprint(module);
            if (now == previous) {
                return;
            }
            previous = now;
        }
        context.fail(module.location(), "simplify-shapes did not settle in " + maxRounds.get() + " rounds");
    }

    /** Cheap change detection: every op's name, attributes and result types, in order. */
    private static long fingerprint(Module module) {
        long[] h = {1};
        module.walk((Operation op) -> {
            h[0] = h[0] * 31 + op.name().hashCode();
            h[0] = h[0] * 31 + op.attributes().hashCode();
            h[0] = h[0] * 31 + op.resultTypes().hashCode();
            h[0] = h[0] * 31 + op.numOperands();
        });
        return h[0];
    }
}
