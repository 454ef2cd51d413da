package dev.lathe.bench;

import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
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
            "rtol", "seed");

    static final String USAGE = """
            usage: bench/compare MODEL [--threads N] [--batch B] [--seq S] [--dim NAME=SIZE]... [--value INPUT=X]...
                                       [--seconds T] [--warmup T] [--atol A] [--rtol R] [--seed N] [--O0]
              MODEL       an .onnx file, or minilm | ppocr | silero (see ModelSource)
              --threads   threads for both engines: Lathe's parallel loops, ORT's intra-op pool (inter-op 1); default 1
              --batch     size of dynamic batch dimensions (default 1)
              --seq       size of other dynamic dimensions (default 128)
              --dim       size of the dynamic dimension with this symbolic name (wins over --batch/--seq)
              --value     fill this input with one value (e.g. --value sr=16000)
              --seconds   time spent measuring after warm-up (default 3); --warmup per engine (default 1)
              --atol/--rtol  agreement bound |lathe - ort| <= atol + rtol |ort| (default 1e-4, 1e-3)
              --seed      seed of the generated inputs (default 5)
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
            try (LatheEngine lathe = new LatheEngine(module, inputs, threads)) {
                System.out.printf(Locale.ROOT, "lathe compile: %.0f ms (import %.0f ms + compile %.0f ms)%n",
                        importMs + lathe.compileMs(), importMs, lathe.compileMs());
                lathe.model().compileReports().forEach(r -> System.out.println("lathe specialization: " + r.describe()
                        + " for input shapes " + r.inputShapes()));
                Agreement.Result agreement = tolerance.compare(ort.outputs(), lathe.outputs());
                System.out.println(agreement.summary(tolerance));
                agreement.problems().forEach(p -> System.out.println("  " + p));

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
