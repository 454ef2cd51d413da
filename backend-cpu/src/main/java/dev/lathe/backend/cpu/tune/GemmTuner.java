package dev.lathe.backend.cpu.tune;

import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.costmodel.CostModel;
import dev.lathe.costmodel.CostModels;
import dev.lathe.costmodel.GemmProblem;
import dev.lathe.costmodel.MachineModel;
import dev.lathe.costmodel.Schedule;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The measured search behind {@code --tune N} (docs/costmodel.md#measured-search---tune): for every
 * GEMM problem of a model, the cost model's N best candidate schedules that lower to distinct code
 * are compiled (real lowering, LLVM, JIT) and timed, and the fastest wins.
 *
 * <p>The model is specialized and optimized as for a compile ({@link CpuBackend#graph}); each op
 * is cut out as a {@link OneOpFunction} (ops that compile alike, a transformer's repeated layers,
 * are kept once with their count) and lowered once to learn which {@link GemmProblem}s its lowering
 * asks the cost model about. For each problem, each candidate is timed on every op that asks it
 * ({@link CandidateTimer}, the model's thread count); a candidate's figure is the sum over those
 * ops of count x median, the time it would take of one model call. Results are {@link Outcome}s;
 * {@link TuningTable#record} keeps the winners.
 */
public final class GemmTuner {

    /** Candidates examined per problem for every distinct one kept (most differ only in blocks the lowering clamps). */
    private static final int SCAN_PER_CANDIDATE = 16;

    /**
     * A timed candidate: its 1-based rank in the cost model's order, its milliseconds per model call
     * (the median over the rounds of Σ count x time over the problem's ops), and in how many of
     * the {@code rounds} it was faster than the cost model's pick (the first timed) in the same round.
     */
    public record Timed(int rank, Schedule schedule, double ms, int roundsFaster, int rounds) {
        public Timed(int rank, Schedule schedule, double ms) {
            this(rank, schedule, ms, 0, 0);
        }
    }

    /** One problem's search: the ops asking it (with counts), the candidates timed, and the fastest. */
    public record Outcome(GemmProblem problem, List<String> ops, List<Timed> candidates, Timed winner) {

        /** Several lines: the problem, its ops, each candidate's rank, time and schedule, and the winner. */
        public String report() {
            StringBuilder b = new StringBuilder("gemm " + problem.describe() + " (" + String.join("; ", ops) + ")\n");
            for (Timed t : candidates) {
                b.append(String.format(Locale.ROOT, "  %s rank %-3d %8.3f ms %-18s %s%n", t == winner ? "*" : " ",
                        t.rank(), t.ms(), t == candidates.getFirst() ? "" : "faster " + t.roundsFaster() + "/" + t.rounds(),
                        t.schedule().describe()));
            }
            Timed fastest = fastest(candidates);
            if (fastest != winner) {
                b.append(String.format(Locale.ROOT, "  rank %d was fastest (%.2fx) but not clearly: faster than rank %d in"
                        + " only %d of %d rounds%n", fastest.rank(), fastest.ms() / winner.ms(), winner.rank(),
                        fastest.roundsFaster(), fastest.rounds()));
            }
            b.append(String.format(Locale.ROOT, "  winner: cost-model rank %d of %d timed%s", winner.rank(),
                    candidates.size(), candidates.size() > 1 ? String.format(Locale.ROOT, ", %.2fx the rank-%d time",
                            winner.ms() / candidates.getFirst().ms(), candidates.getFirst().rank()) : ""));
            return b.toString();
        }
    }

    private record OpGroup(OneOpFunction function, int count) {}

    private record Lowered(int rank, Schedule schedule, List<Module> modules) {}

    private GemmTuner() {}

    /**
     * Tunes every GEMM problem of {@code nnModule} compiled for {@code types} (and {@code values}, where
     * inputs are read at compile time; nulls elsewhere) on {@code threads} threads, timing up to
     * {@code topN} candidates each. {@code known}: measured choices to keep for the problems not being
     * tuned at the moment. Progress lines go to {@code log}.
     */
    public static List<Outcome> tune(Module nnModule, List<TensorType> types, List<DenseElementsAttr> values,
            boolean optimize, int threads, int topN, Map<GemmProblem, Schedule> known, Consumer<String> log) {
        if (topN < 1) {
            throw new IllegalArgumentException("--tune needs at least 1 candidate, got " + topN);
        }
        CpuBackend.Graph graph = CpuBackend.graph(nnModule, types, values, optimize);
        Map<GemmProblem, List<OpGroup>> problems = problems(graph.module());
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<GemmProblem, List<OpGroup>> e : problems.entrySet()) {
            Outcome o = tuneProblem(e.getKey(), e.getValue(), threads, topN, known);
            if (o != null) {
                log.accept(o.report());
                outcomes.add(o);
            }
        }
        if (problems.isEmpty()) {
            log.accept("no GEMM problems to tune");
        }
        return outcomes;
    }

    /** The GEMM problems the lowering of each distinct op asks about, with the ops asking. */
    static Map<GemmProblem, List<OpGroup>> problems(Module graph) {
        Map<String, OneOpFunction> bySignature = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Operation op : FuncOps.body(CpuBackend.entry(graph)).operations()) {
            if (NnConstants.isConstant(op) || op.isA(FuncOps.RETURN)) {
                continue;
            }
            OneOpFunction.of(op, graph).ifPresent(f -> {
                bySignature.putIfAbsent(f.signature(), f);
                counts.merge(f.signature(), 1, Integer::sum);
            });
        }
        Map<GemmProblem, List<OpGroup>> problems = new LinkedHashMap<>();
        for (OneOpFunction f : bySignature.values()) {
            for (GemmProblem p : askedProblems(f)) {
                problems.computeIfAbsent(p, k -> new ArrayList<>()).add(new OpGroup(f, counts.get(f.signature())));
            }
        }
        return problems;
    }

    /** Lowers {@code f} once with a cost model that notes every {@code bestGemm} question. */
    private static Set<GemmProblem> askedProblems(OneOpFunction f) {
        Set<GemmProblem> asked = Collections.synchronizedSet(new LinkedHashSet<>());
        CostModel base = CostModels.defaultModel();
        CostModel recorder = new RecordingCostModel(base, asked);
        try {
            CostModels.withDefault(recorder, () -> lower(f, 1, Map.of()));
        } catch (RuntimeException e) {
            return Set.of(); // an op that does not lower alone (it needs a value at compile time): not tuned
        }
        return asked;
    }

    /** The problem's outcome, or null when no candidate lowers. */
    private static Outcome tuneProblem(GemmProblem p, List<OpGroup> groups, int threads, int topN,
            Map<GemmProblem, Schedule> known) {
        List<Schedule> ranked = CostModels.defaultModel().rankedGemm(p.m(), p.n(), p.k(), p.et(), MachineModel.host());
        List<Lowered> distinct = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int scan = Math.min(ranked.size(), SCAN_PER_CANDIDATE * topN);
        for (int i = 0; i < scan && distinct.size() < topN; i++) {
            Map<GemmProblem, Schedule> choices = new HashMap<>(known);
            choices.put(p, ranked.get(i));
            List<Module> modules = new ArrayList<>();
            StringBuilder code = new StringBuilder();
            try {
                for (OpGroup g : groups) {
                    Module m = lower(g.function(), threads, choices);
                    modules.add(m);
                    code.append(kernelText(m));
                }
            } catch (RuntimeException e) {
                continue; // a candidate the lowering rejects is no candidate
            }
            if (seen.add(code.toString())) {
                distinct.add(new Lowered(i + 1, ranked.get(i), modules));
            }
        }
        if (distinct.isEmpty()) {
            return null;
        }
        int rounds = CandidateTimer.ROUNDS;
        double[][] totals = new double[distinct.size()][rounds]; // per candidate and round: ms of one model call's share
        for (int g = 0; g < groups.size(); g++) {
            try (CandidateTimer timer = new CandidateTimer(threads)) {
                for (Lowered l : distinct) {
                    timer.add(JitCompiler.compile(l.modules().get(g), JitCompiler.Options.defaults().withThreads(threads)));
                }
                double[][] ms = timer.roundsMs();
                for (int c = 0; c < ms.length; c++) {
                    for (int r = 0; r < rounds; r++) {
                        totals[c][r] += ms[c][r] * groups.get(g).count();
                    }
                }
            }
        }
        List<Timed> timed = new ArrayList<>();
        for (int c = 0; c < distinct.size(); c++) {
            int faster = 0;
            for (int r = 0; r < rounds; r++) {
                faster += c > 0 && totals[c][r] < totals[0][r] ? 1 : 0;
            }
            double[] sorted = totals[c].clone();
            java.util.Arrays.sort(sorted);
            timed.add(new Timed(distinct.get(c).rank(), distinct.get(c).schedule(), sorted[rounds / 2], faster, rounds));
        }
        List<String> ops = groups.stream().map(g -> g.count() + " x " + opName(g.function())).toList();
        return new Outcome(p, ops, timed, winner(timed));
    }

    /**
     * The fastest candidate when it is clearly faster than the cost model's pick (the first timed,
     * rank 1): faster in at least three quarters of the rounds, each round comparing the two under
     * the same load. Otherwise the pick: on a noisy machine a difference inside the noise is no
     * reason to leave the model's choice (2-thread wall-clock figures under load swung threefold
     * between near-identical schedules, and such a winner was 13% slower in the model).
     */
    public static Timed winner(List<Timed> timed) {
        Timed pick = timed.getFirst();
        Timed fastest = fastest(timed);
        return fastest != pick && 4 * fastest.roundsFaster() >= 3 * fastest.rounds() ? fastest : pick;
    }

    private static Timed fastest(List<Timed> timed) {
        Timed best = timed.getFirst();
        for (Timed t : timed) {
            if (t.ms() < best.ms()) {
                best = t;
            }
        }
        return best;
    }

    private static Module lower(OneOpFunction f, int threads, Map<GemmProblem, Schedule> choices) {
        List<DenseElementsAttr> noValues = new ArrayList<>(Collections.nCopies(f.inputTypes().size(), null));
        return CpuBackend.lower(f.module(), f.inputTypes(), noValues,
                new CpuBackend.Options(threads, false, null, choices)).module();
    }

    /** The kernels of a lowered module (not {@code @main}, whose weights would only repeat the constants). */
    private static String kernelText(Module lowered) {
        StringBuilder b = new StringBuilder();
        for (Operation fn : lowered.functions()) {
            if (!FuncOps.name(fn).equals("main")) {
                b.append(IRPrinter.print(fn));
            }
        }
        return b.toString();
    }

    private static String opName(OneOpFunction f) {
        String sig = f.signature();
        int attrs = sig.indexOf(' ', sig.lastIndexOf("->") + 3);
        return attrs < 0 ? sig : sig.substring(0, attrs);
    }
}
