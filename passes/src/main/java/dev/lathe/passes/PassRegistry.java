package dev.lathe.passes;

import dev.lathe.passes.transforms.CanonicalizePass;
import dev.lathe.passes.transforms.CsePass;
import dev.lathe.passes.transforms.DcePass;
import dev.lathe.passes.transforms.FoldBatchNormPass;
import dev.lathe.passes.transforms.FoldConstantsPass;
import dev.lathe.passes.transforms.FoldAttentionHeadsPass;
import dev.lathe.passes.transforms.FuseElementwisePass;
import dev.lathe.passes.transforms.InferShapesPass;
import dev.lathe.passes.transforms.RecognizeAttentionPass;
import dev.lathe.passes.transforms.RecognizeGeluPass;
import dev.lathe.passes.transforms.RecognizeLayerNormPass;
import dev.lathe.passes.transforms.RecognizeRmsNormPass;
import dev.lathe.passes.transforms.RecognizeSoftmaxPass;
import dev.lathe.passes.transforms.SimplifyShapesPass;
import dev.lathe.passes.transforms.UnrollLoopsPass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Every pass by pipeline name. The global registry holds the built-in passes. */
public final class PassRegistry {

    private static final class Holder {
        static final PassRegistry GLOBAL = withBuiltins();
    }

    private final Map<String, Supplier<? extends Pass>> factories = new TreeMap<>();

    /** The shared registry: built-in passes plus whatever was registered into it. */
    public static PassRegistry global() {
        return Holder.GLOBAL;
    }

    /** A fresh registry holding the built-in passes (tests add their own passes to one). */
    public static PassRegistry withBuiltins() {
        return new PassRegistry()
                .register(CanonicalizePass::new)
                .register(CsePass::new)
                .register(DcePass::new)
                .register(FoldAttentionHeadsPass::new)
                .register(FoldBatchNormPass::new)
                .register(FoldConstantsPass::new)
                .register(dev.lathe.passes.transforms.FoldTransposeIntoMatmulPass::new)
                .register(FuseElementwisePass::new)
                .register(dev.lathe.passes.transforms.FuseMatmulEpiloguePass::new)
                .register(InferShapesPass::new)
                .register(dev.lathe.passes.transforms.MergeSiblingMatmulsPass::new)
                .register(RecognizeAttentionPass::new)
                .register(RecognizeGeluPass::new)
                .register(RecognizeLayerNormPass::new)
                .register(RecognizeRmsNormPass::new)
                .register(RecognizeSoftmaxPass::new)
                .register(SimplifyShapesPass::new)
                .register(UnrollLoopsPass::new)
                .register(dev.lathe.passes.lower.LowerToLoopsPass::new)
                .register(dev.lathe.passes.lower.PlanBuffersPass::new);
    }

    /** Registers a pass under the name its instances report; a name may be registered once. */
    public synchronized PassRegistry register(Supplier<? extends Pass> factory) {
        String name = factory.get().name();
        if (factories.putIfAbsent(name, factory) != null) {
            throw new IllegalStateException("pass '" + name + "' is registered twice");
        }
        return this;
    }

    public synchronized boolean contains(String name) {
        return factories.containsKey(name);
    }

    public synchronized SortedSet<String> names() {
        return new TreeSet<>(factories.keySet());
    }

    /** A new instance of pass {@code name}, with default options. */
    public synchronized Pass create(String name) {
        Supplier<? extends Pass> factory = factories.get(name);
        if (factory == null) {
            throw new IllegalArgumentException(unknownPassMessage(name));
        }
        return factory.get();
    }

    /** One instance of each pass, by name, for help listings and documentation. */
    public synchronized List<Pass> describeAll() {
        List<Pass> passes = new ArrayList<>();
        factories.values().forEach(f -> passes.add(f.get()));
        return passes;
    }

    private String unknownPassMessage(String name) {
        String closest = factories.keySet().stream()
                .min(Comparator.comparingInt(known -> editDistance(known, name))).orElse(null);
        String hint = closest != null && editDistance(closest, name) <= Math.max(2, name.length() / 3)
                ? " (did you mean '" + closest + "'?)" : "";
        return "unknown pass '" + name + "'" + hint + "; known passes: " + String.join(", ", factories.keySet());
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
