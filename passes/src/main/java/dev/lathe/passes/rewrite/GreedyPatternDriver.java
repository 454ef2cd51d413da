package dev.lathe.passes.rewrite;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.OpOperand;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.passes.OpCrashException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies folding and patterns to every op nested under a root until nothing changes (MLIR's
 * greedy pattern rewrite driver). Each op is, in order: erased if trivially dead; folded through
 * its definition's {@code fold}; else offered to the patterns rooted at its name or at any op,
 * highest benefit first. After a change, the ops it may have enabled (users of replaced values,
 * definers of erased operands, new ops) are revisited. Whole-IR sweeps repeat until one changes
 * nothing; a cap on sweeps and on rewrites per sweep turns a ping-pong of patterns into an error
 * naming them, instead of a hang.
 */
public final class GreedyPatternDriver {

    /** Limits and switches; {@code maxRewritesPerIteration <= 0} means 1000 + 50 per op. */
    public record Config(int maxIterations, long maxRewritesPerIteration, boolean fold, ConstantMaterializer materializer) {
        public static final Config DEFAULT = new Config(10, 0, true, ConstantMaterializer.NN);

        public Config withMaxIterations(int n) {
            return new Config(n, maxRewritesPerIteration, fold, materializer);
        }

        public Config withMaxRewritesPerIteration(long n) {
            return new Config(maxIterations, n, fold, materializer);
        }

        public Config withFold(boolean enabled) {
            return new Config(maxIterations, maxRewritesPerIteration, enabled, materializer);
        }

        public Config withMaterializer(ConstantMaterializer m) {
            return new Config(maxIterations, maxRewritesPerIteration, fold, m);
        }
    }

    /** What a run did; {@code failure} is null when it reached a fixed point. */
    public record Result(boolean changed, int iterations, Map<String, Long> patternsApplied, long opsFolded,
            long opsErased, List<Diagnostic> diagnostics, String failure) {
        public boolean converged() {
            return failure == null;
        }
    }

    /** Key under which folding is counted in non-convergence reports. */
    static final String FOLDING = "<folding>";

    private final List<RewritePattern> anyOpPatterns = new ArrayList<>();
    private final Map<String, List<RewritePattern>> patternsByRoot = new HashMap<>();
    private final Map<String, List<RewritePattern>> candidatesCache = new HashMap<>();
    private final Config config;

    public GreedyPatternDriver(List<? extends RewritePattern> patterns) {
        this(patterns, Config.DEFAULT);
    }

    public GreedyPatternDriver(List<? extends RewritePattern> patterns, Config config) {
        this.config = config;
        for (RewritePattern p : patterns) {
            if (p.rootOpName() == null) {
                anyOpPatterns.add(p);
            } else {
                patternsByRoot.computeIfAbsent(p.rootOpName(), k -> new ArrayList<>()).add(p);
            }
        }
    }

    /** Rewrites everything nested under {@code root} (the root itself is left alone). */
    public Result run(Operation root) {
        return new Run(root).execute();
    }

    /** Patterns for an op name, highest benefit first; the sort is stable, so ties keep their order. */
    private List<RewritePattern> candidates(String opName) {
        return candidatesCache.computeIfAbsent(opName, name -> {
            List<RewritePattern> all = new ArrayList<>(patternsByRoot.getOrDefault(name, List.of()));
            all.addAll(anyOpPatterns);
            all.sort(Comparator.comparingInt(RewritePattern::benefit).reversed());
            return all;
        });
    }

    /** The state of one run; it listens to the rewriter to keep the worklist up to date. */
    private final class Run implements PatternRewriter.Listener {
        private final Operation root;
        private final PatternRewriter rewriter = new PatternRewriter(this);
        // Used as a stack with unique entries: the most recently added op is visited next.
        private final LinkedHashSet<Operation> worklist = new LinkedHashSet<>();
        private final Set<Operation> erased = new HashSet<>();
        private final Map<String, Long> applied = new LinkedHashMap<>();
        private final Map<String, Long> appliedThisIteration = new LinkedHashMap<>();
        private final List<Diagnostic> diagnostics = new ArrayList<>();
        private final OpFolder folder = new OpFolder(rewriter, config.materializer(), erased::contains, diagnostics);
        private long opsFolded;
        private long opsErased;

        Run(Operation root) {
            this.root = root;
        }

        Result execute() {
            boolean changedAtAll = false;
            for (int iteration = 1; ; iteration++) {
                if (iteration > config.maxIterations()) {
                    return result(changedAtAll, iteration - 1, "greedy rewriting did not converge within "
                            + config.maxIterations() + " iterations; still changing in the last one: "
                            + describe(appliedThisIteration));
                }
                List<Operation> ops = new ArrayList<>();
                folder.clearConstants();
                root.walk(op -> {
                    if (op != root) {
                        ops.add(op);
                        folder.recordConstant(op);
                    }
                });
                long budget = config.maxRewritesPerIteration() > 0 ? config.maxRewritesPerIteration() : 1000 + 50L * ops.size();
                Collections.reverse(ops); // so the first op in the IR is popped first
                worklist.addAll(ops);
                appliedThisIteration.clear();
                long rewrites = 0;
                while (!worklist.isEmpty()) {
                    Operation op = worklist.removeLast();
                    if (!erased.contains(op) && processOp(op) && ++rewrites > budget) {
                        worklist.clear();
                        return result(true, iteration, "greedy rewriting did not converge: more than " + budget
                                + " rewrites in iteration " + iteration + "; applied: " + describe(appliedThisIteration));
                    }
                }
                if (rewrites == 0) {
                    return result(changedAtAll, iteration, null);
                }
                changedAtAll = true;
            }
        }

        private Result result(boolean changed, int iterations, String failure) {
            return new Result(changed, iterations, Map.copyOf(applied), opsFolded, opsErased, List.copyOf(diagnostics), failure);
        }

        private static String describe(Map<String, Long> counts) {
            if (counts.isEmpty()) {
                return "(patterns reported changes they did not make)";
            }
            return counts.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + "x)")
                    .collect(Collectors.joining(", "));
        }

        /** Returns true when the IR changed. */
        private boolean processOp(Operation op) {
            if (OpEffects.isTriviallyDead(op)) {
                rewriter.eraseOp(op);
                return true;
            }
            if (config.fold() && op.definition() != null && !OpEffects.isConstantLike(op) && folder.tryFold(op)) {
                opsFolded++;
                count(FOLDING, false);
                return true;
            }
            for (RewritePattern pattern : candidates(op.name())) {
                rewriter.setInsertionPointBefore(op);
                boolean matched;
                try {
                    matched = pattern.matchAndRewrite(op, rewriter);
                } catch (OpCrashException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new OpCrashException(op, "pattern " + pattern.name() + " failed on", e);
                }
                if (matched) {
                    count(pattern.name(), true);
                    return true;
                }
            }
            return false;
        }

        private void count(String name, boolean isPattern) {
            if (isPattern) {
                applied.merge(name, 1L, Long::sum);
            }
            appliedThisIteration.merge(name, 1L, Long::sum);
        }

        @Override
        public void operationInserted(Operation op) {
            worklist.addLast(op);
            folder.recordConstant(op);
        }

        @Override
        public void operationModified(Operation op) {
            if (!erased.contains(op)) {
                worklist.addLast(op);
            }
        }

        @Override
        public void operationErased(Operation op) {
            erased.add(op);
            worklist.remove(op);
            opsErased++;
            for (OpOperand operand : op.opOperands()) {
                // The definer may have lost its last use.
                if (operand.get() instanceof OpResult r && !erased.contains(r.owner()) && r.owner() != root) {
                    worklist.addLast(r.owner());
                }
            }
        }
    }
}
