package dev.lathe.bench;

import dev.lathe.backend.cpu.tune.GemmTuner;
import dev.lathe.backend.cpu.tune.TuningTable;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/compare MODEL [--threads N] [--batch B] [--seq S]}: one model in Lathe's JIT and in
 * ONNX Runtime on the same generated inputs ({@link InputGenerator}) with the same thread count;
 * checks that the outputs agree ({@link Agreement}), warms both up, times them alternating in blocks
 * ({@link Timing}), and ends with {@link ResultLine#compare}. Also reports Lathe's compile time,
 * from the ONNX bytes to callable code (import, then {@code CpuBackend.compile}).
 *
 * <p>Exit status 1 when the outputs disagree (the figures are still printed), 2 on a usage error.
 */
public final class CompareMain {

    static final List<String> OPTIONS = List.of("threads", "batch", "seq", "dim", "value", "seconds", "warmup", "atol",
            "rtol", "seed", "tune");

    static final String USAGE = """
            usage: bench/compare MODEL [--threads N] [--batch B] [--seq S] [--dim NAME=SIZE]... [--value INPUT=X]...
                                       [--seconds T] [--warmup T] [--atol A] [--rtol R] [--seed N] [--O0] [--tune N]
              MODEL       an .onnx file, or minilm | ppocr | silero (see ModelSource)
              --threads   threads for both engines: Lathe's parallel loops, ORT's intra-op pool (inter-op 1); default 1
              --batch     size of dynamic batch dimensions (default 1)
              --seq       size of other dynamic dimensions (default 128)
              --dim       size of the dynamic dimension with this symbolic name (wins over --batch/--seq)
              --value     fill this input with one value (e.g. --value sr=16000)
              --seconds   time spent measuring after warm-up (default 3); --warmup per engine (default 1)
              --atol/--rtol  agreement bound |lathe - ort| <= atol + rtol |ort| (default 1e-4, 1e-3)
              --seed      seed of the generated inputs (default 5)
              --tune      time the cost model's N best schedules of each GEMM problem (GemmTuner) and compile
                          Lathe with the fastest; prints each problem's candidates, times and winner, and the
                          tuning time (the tuning table on disk is neither read nor written). When a winner is
                          not the cost model's pick, also checks the tuned outputs are bit-identical to the
                          untuned ones and times the two alternating, before the line against ORT:
                          tuned: lathe_ms=<tuned> lathe_untuned_ms=<untuned> ratio=<tuned/untuned>
              --O0        also compile with the graph pipeline off (-O0) and time the default pipeline
                          against it (alternating) instead of against ORT; last line
                          lathe_ms=<default> lathe_O0_ms=<-O0> ratio=<default/-O0>""";

    private CompareMain() {}

    public static void main(String[] argv) throws Exception {
        Args args;
        boolean o0 = List.of(argv).contains("--O0");
        try {
            args = new Args(java.util.Arrays.stream(argv).filter(a -> !a.equals("--O0")).toArray(String[]::new), OPTIONS);
            if (args.positional.size() != 1) {
                throw new IllegalArgumentException("give one model");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench/compare: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        ModelSource source = ModelSource.resolve(args.positional.getFirst());
        int threads = args.getInt("threads", 1);
        Map<String, Long> dims = new LinkedHashMap<>(source.dims());
        args.pairs("dim").forEach((k, v) -> dims.put(k, Long.parseLong(v)));
        Map<String, Double> values = new LinkedHashMap<>(source.values());
        args.pairs("value").forEach((k, v) -> values.put(k, Double.parseDouble(v)));
        InputGenerator generator = new InputGenerator(args.getInt("batch", 1), args.getInt("seq", 128), dims, values,
                args.getInt("seed", 5));
        Agreement tolerance = new Agreement(args.getDouble("atol", Agreement.DEFAULT.atol()),
                args.getDouble("rtol", Agreement.DEFAULT.rtol()));
        Timing timing = new Timing(args.getDouble("warmup", 1), args.getDouble("seconds", 3), 5, 100_000);

        System.out.printf("model: %s (%.1f MB), threads %d, cores %d%n", source.name(), source.bytes().length / 1e6,
                threads, Runtime.getRuntime().availableProcessors());
        try (OrtEngine ort = new OrtEngine(source.bytes(), threads)) {
            List<InputSpec> specs = ort.inputSpecs();
            Map<String, DenseElementsAttr> inputs = generator.generate(specs);
            for (InputSpec spec : specs) {
                System.out.printf("input %s -> %s%n", spec, inputs.get(spec.name()).type().text());
            }
            ort.setInputs(inputs);

            long t0 = System.nanoTime();
            Module module = OnnxImporter.importModel(source.bytes(), source.name(), source.baseDir());
            double importMs = (System.nanoTime() - t0) / 1e6;
            Path tuned = tune(module, inputs, threads, args.getInt("tune", 0));
            try (LatheEngine lathe = new LatheEngine(module, inputs, threads, true, tuned)) {
                System.out.printf(Locale.ROOT, "lathe compile: %.0f ms (import %.0f ms + compile %.0f ms)%n",
                        importMs + lathe.compileMs(), importMs, lathe.compileMs());
                lathe.model().compileReports().forEach(r -> System.out.println("lathe specialization: " + r.describe()
                        + " for input shapes " + r.inputShapes()));
                Agreement.Result agreement = tolerance.compare(ort.outputs(), lathe.outputs());
                System.out.println(agreement.summary(tolerance));
                agreement.problems().forEach(p -> System.out.println("  " + p));

                if (tuned != null && !compareWithUntuned(module, inputs, threads, lathe, timing)) {
                    System.exit(1);
                }
                if (o0) {
                    compareWithO0(module, inputs, threads, lathe, ort, tolerance, timing);
                } else {
                    Timing.Medians m = timing.measure(lathe::run, ort::run);
                    System.out.printf("timed %d runs each, alternating in blocks (medians)%n", m.runs());
                    System.out.println(ResultLine.compare(m.aMs(), m.bMs()));
                }
                if (!agreement.agrees()) {
                    System.exit(1);
                }
            }
        }
    }

    /**
     * {@code --tune N}: a temporary tuning table holding the measured winners, after printing what
     * was measured; null for 0, or when every winner is the cost model's pick.
     */
    private static Path tune(Module module, Map<String, DenseElementsAttr> inputs, int threads, int topN)
            throws java.io.IOException {
        if (topN <= 0) {
            return null;
        }
        List<DenseElementsAttr> ordered = LatheEngine.ordered(module, inputs);
        long t0 = System.nanoTime();
        List<GemmTuner.Outcome> outcomes = GemmTuner.tune(module, ordered.stream().map(DenseElementsAttr::type).toList(),
                ordered, true, threads, topN, Map.of(), report -> System.out.println("tune: " + report));
        int moved = 0;
        for (GemmTuner.Outcome o : outcomes) {
            moved += o.winner().rank() == 1 ? 0 : 1;
        }
        System.out.printf(Locale.ROOT, "tune: %d GEMM problems, %d not won by the cost model's pick, %.1f s%n",
                outcomes.size(), moved, (System.nanoTime() - t0) / 1e9);
        if (moved == 0) {
            return null; // all the cost model's picks: the tuned model is the untuned one
        }
        Path dir = java.nio.file.Files.createTempDirectory("lathe-bench-tuning");
        dir.toFile().deleteOnExit();
        TuningTable table = TuningTable.load(dir, System.err::println);
        table.record(TuningTable.hostCpu(), threads, outcomes);
        table.save();
        dir.resolve(TuningTable.FILE).toFile().deleteOnExit();
        return dir;
    }

    /**
     * {@code --tune}: the same module compiled with the cost model's picks; false when its outputs are
     * not bit-identical to the tuned ones (the schedules keep the k order, so they must be).
     */
    private static boolean compareWithUntuned(Module module, Map<String, DenseElementsAttr> inputs, int threads,
            LatheEngine tuned, Timing timing) throws Exception {
        try (LatheEngine untuned = new LatheEngine(module, inputs, threads, true)) {
            Map<String, DenseElementsAttr> a = tuned.outputs();
            Map<String, DenseElementsAttr> b = untuned.outputs();
            boolean same = a.keySet().equals(b.keySet())
                    && a.keySet().stream().allMatch(k -> java.util.Arrays.equals(a.get(k).toBytes(), b.get(k).toBytes()));
            System.out.println(same ? "tuned outputs are bit-identical to the untuned ones"
                    : "tuned outputs DIFFER from the untuned ones");
            Timing.Medians m = timing.measure(tuned::run, untuned::run);
            System.out.printf("timed %d runs each, alternating in blocks (medians), tuned vs untuned%n", m.runs());
            System.out.println("tuned: " + ResultLine.tuning(m.aMs(), m.bMs()));
            return same;
        }
    }

    /** {@code --O0}: the same module compiled without the graph pipeline, checked, then timed against {@code lathe}. */
    private static void compareWithO0(Module module, Map<String, DenseElementsAttr> inputs, int threads,
            LatheEngine lathe, OrtEngine ort, Agreement tolerance, Timing timing) throws Exception {
        try (LatheEngine plain = new LatheEngine(module, inputs, threads, false)) {
            System.out.printf(Locale.ROOT, "lathe -O0 compile: %.0f ms%n", plain.compileMs());
            Agreement.Result agreement = tolerance.compare(ort.outputs(), plain.outputs());
            System.out.println("-O0: " + agreement.summary(tolerance));
            Timing.Medians m = timing.measure(lathe::run, plain::run);
            System.out.printf("timed %d runs each, alternating in blocks (medians), default pipeline vs -O0%n", m.runs());
            System.out.println(ResultLine.optimization(m.aMs(), m.bMs()));
            if (!agreement.agrees()) {
                System.exit(1);
            }
        }
    }
}
