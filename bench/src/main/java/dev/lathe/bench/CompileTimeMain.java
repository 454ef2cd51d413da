package dev.lathe.bench;

import dev.lathe.backend.cpu.CompilePhases;
import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.DebugDump;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/compile-time MODEL [--seq S] [--batch B] [--threads N] [--repeat R] [--dump DIR]}: compiles one
 * model from its ONNX bytes to callable code (import, then {@link CpuBackend#compile}) R times in
 * this JVM and prints each run's phases ({@link CompilePhases}) in wall and process CPU
 * milliseconds. The first run is the one issue 5's target counts (a fresh process: the JVM also
 * compiles Lathe's own code); later runs show the steady state. Inputs are generated as
 * {@code bench/compare} does (ORT reads the signature, and is closed before anything is timed).
 * {@code --dump DIR} writes the loop IR, LLVM IR and assembly there (and slows the compile).
 */
public final class CompileTimeMain {

    private CompileTimeMain() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, List.of("seq", "batch", "threads", "repeat", "dim", "value", "dump"));
        ModelSource source = ModelSource.resolve(args.positional.isEmpty() ? "minilm" : args.positional.getFirst());
        Map<String, Long> dims = new LinkedHashMap<>(source.dims());
        args.pairs("dim").forEach((k, v) -> dims.put(k, Long.parseLong(v)));
        Map<String, Double> values = new LinkedHashMap<>(source.values());
        args.pairs("value").forEach((k, v) -> values.put(k, Double.parseDouble(v)));
        InputGenerator generator = new InputGenerator(args.getInt("batch", 1), args.getInt("seq", 128), dims, values, 5);
        Map<String, DenseElementsAttr> inputs;
        try (OrtEngine ort = new OrtEngine(source.bytes(), 1)) {
            inputs = generator.generate(ort.inputSpecs());
        }
        int threads = args.getInt("threads", 1);
        int repeat = args.getInt("repeat", 1);
        CpuBackend.Options options = CpuBackend.Options.defaults().withThreads(threads)
                .withDebugDump(args.has("dump") ? new DebugDump(Path.of(args.get("dump", ""))) : null);
        System.out.printf("model: %s, threads %d, cores %d%n", source.name(), threads, Runtime.getRuntime().availableProcessors());
        double firstWall = 0;
        double firstCpu = 0;
        for (int r = 0; r < repeat; r++) {
            long cpu0 = CompilePhases.processCpuNanos();
            long wall0 = System.nanoTime();
            CompiledCpuModel[] model = new CompiledCpuModel[1];
            List<CompilePhases.Phase> phases = CompilePhases.record(() -> {
                Module module = CompilePhases.time("import", () -> importModel(source));
                List<DenseElementsAttr> ordered = new ArrayList<>();
                for (Signature.Port p : Signature.of(CpuBackend.entry(module)).inputs()) {
                    ordered.add(inputs.get(p.name()));
                }
                model[0] = CpuBackend.compile(module, ordered, options);
            });
            double wall = (System.nanoTime() - wall0) / 1e9;
            double cpu = (CompilePhases.processCpuNanos() - cpu0) / 1e9;
            model[0].close();
            System.out.printf(Locale.ROOT, "run %d:%n", r + 1);
            Map<String, long[]> merged = new LinkedHashMap<>();
            for (CompilePhases.Phase p : phases) {
                long[] t = merged.computeIfAbsent(p.name(), k -> new long[2]);
                t[0] += p.wallNanos();
                t[1] += p.cpuNanos();
            }
            merged.forEach((name, t) -> System.out.printf(Locale.ROOT, "  %-30s wall %6.0f ms  cpu %6.0f ms%n", name,
                    t[0] / 1e6, t[1] / 1e6));
            System.out.printf(Locale.ROOT, "  %-30s wall %6.0f ms  cpu %6.0f ms%n", "total", wall * 1e3, cpu * 1e3);
            if (r == 0) {
                firstWall = wall;
                firstCpu = cpu;
            }
        }
        System.out.printf(Locale.ROOT, "compile_wall_s=%.2f compile_cpu_s=%.2f%n", firstWall, firstCpu);
    }

    private static Module importModel(ModelSource source) {
        return OnnxImporter.importModel(source.bytes(), source.name(), source.baseDir());
    }
}
