package dev.lathe.runtime;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CompiledObject;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.CpuCodegen;
import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.backend.cpu.tune.TuningTable;
import dev.lathe.costmodel.GemmProblem;
import dev.lathe.costmodel.Schedule;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import dev.lathe.runtime.cache.CacheKeys;
import dev.lathe.runtime.cache.DiskCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles one specialization of a model (its input shapes, and the values of the inputs it
 * reads at compile time) through the compile cache.
 *
 * <p>The cache key comes in two steps. The <em>specialization key</em> hashes the graph
 * ({@link dev.lathe.runtime.cache.FunctionalHash}), the input types, the options that change
 * the code ({@code optimize}; not {@code threads}, which only sizes the Java thread pool), the
 * target CPU and its features, the Lathe version, and the measured GEMM schedules the lowering
 * will use ({@link GemmChoices}: the tuning table's entries for this CPU and thread count, so a
 * model cached before a {@code --tune} is not reused after it). Which inputs are read at compile time
 * follows from that key alone (from the graph and shapes, docs/backend-cpu.md#shapes), and is
 * remembered per key, in memory and on disk; the <em>entry key</em> adds those inputs' values.
 * So a hit needs no lowering at all.
 *
 * <p>With a cache directory, every specialization is written there and loaded from there (the
 * shared library through {@code java.lang.foreign}); without one, compiled objects are kept in
 * this process (a few, least recently used first out) and linked by the in-process JIT.
 */
final class SpecializationCompiler {

    private static final int MEMORY_ENTRIES = 8;
    private static final Map<String, CompiledObject> MEMORY = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CompiledObject> eldest) {
                    return size() > MEMORY_ENTRIES;
                }
            });
    private static final Map<String, List<Integer>> FROZEN = new ConcurrentHashMap<>();
    private static final Map<Path, DiskCache> DISKS = new ConcurrentHashMap<>();

    record Result(CompiledCpuModel model, CompileReport report) {}

    private SpecializationCompiler() {}

    /**
     * {@code inputs} may hold nulls (an eager compile knows only the types): when an input read
     * at compile time is among them, nothing is compiled and the result is null.
     */
    static Result compile(Module module, Signature signature, byte[] graphHash, List<TensorType> types,
            List<DenseElementsAttr> inputs, Options options) {
        long t0 = System.nanoTime();
        Resolved r = resolve(module, graphHash, types, inputs, options);
        if (r == null) {
            return null;
        }
        Map<Integer, DenseElementsAttr> frozen = frozen(r.frozenIndices(), inputs);
        int threads = options.effectiveThreads();
        NativeModel model = r.entry() != null ? NativeModel.loadLibrary(r.entry().library(), r.entry().meta(), threads)
                : JitCompiler.link(r.object(), threads);
        CompileReport report = new CompileReport(r.source(), (System.nanoTime() - t0) / 1e6,
                types.stream().map(TensorType::shape).toList(), r.note());
        return new Result(CompiledCpuModel.ofTensors(signature, model, frozen), report);
    }

    /** A cache entry on disk: the AOT artifact of one specialization (for {@code lathe compile}). */
    record Artifact(Path directory, CompileReport report) {}

    static Artifact artifact(Module module, byte[] graphHash, List<TensorType> types, List<DenseElementsAttr> inputs,
            Options options) {
        if (options.cacheDir() == null) {
            throw new IllegalArgumentException("an artifact comes from the disk cache: give a cache directory");
        }
        long t0 = System.nanoTime();
        Resolved r = resolve(module, graphHash, types, inputs, options);
        if (r == null) {
            throw new IllegalArgumentException("inputs read at compile time need values");
        }
        if (r.entry() == null) {
            throw new IllegalStateException(r.note());
        }
        return new Artifact(r.entry().directory(), new CompileReport(r.source(), (System.nanoTime() - t0) / 1e6,
                types.stream().map(TensorType::shape).toList(), r.note()));
    }

    /** Where the code comes from: a disk entry, or (without one) an object kept in memory. */
    private record Resolved(DiskCache.Loaded entry, CompiledObject object, List<Integer> frozenIndices,
            CompileReport.Source source, String note) {}

    private static Resolved resolve(Module module, byte[] graphHash, List<TensorType> types,
            List<DenseElementsAttr> inputs, Options options) {
        Map<GemmProblem, Schedule> choices = GemmChoices.of(module, types, inputs, options);
        String specKey = CacheKeys.specialization(graphHash, types, options.optimize(), options.targetCpu(),
                TuningTable.fingerprint(choices));
        DiskCache disk = options.cacheDir() == null ? null
                : DISKS.computeIfAbsent(options.cacheDir().toAbsolutePath(), DiskCache::new);
        List<Integer> frozenIndices = FROZEN.get(specKey);
        if (frozenIndices == null && disk != null) {
            frozenIndices = disk.frozenIndices(specKey).orElse(null);
        }
        CpuBackend.Lowered lowered = null;
        if (frozenIndices == null) {
            try {
                lowered = lower(module, types, inputs, options, choices);
            } catch (IllegalArgumentException e) {
                if (inputs.contains(null) && e.getMessage() != null && e.getMessage().contains("decide shapes or branches")) {
                    return null; // the Specializer needs a value we do not have yet
                }
                throw e;
            }
            frozenIndices = remember(disk, specKey, lowered);
        }
        if (frozenIndices.stream().anyMatch(i -> inputs.get(i) == null)) {
            return null;
        }
        String entryKey = CacheKeys.entry(specKey, frozenIndices, inputs);
        if (disk != null) {
            Optional<DiskCache.Loaded> hit = disk.load(entryKey);
            if (hit.isPresent()) {
                return new Resolved(hit.get(), null, frozenIndices, CompileReport.Source.DISK, null);
            }
        } else {
            CompiledObject hit = MEMORY.get(entryKey);
            if (hit != null) {
                return new Resolved(null, hit, frozenIndices, CompileReport.Source.MEMORY, null);
            }
        }
        if (lowered == null) {
            lowered = lower(module, types, inputs, options, choices);
            List<Integer> actual = remember(disk, specKey, lowered);
            if (!actual.equals(frozenIndices)) {
                // The remembered index was stale (an older build decided differently): key by what holds now.
                frozenIndices = actual;
                entryKey = CacheKeys.entry(specKey, frozenIndices, inputs);
            }
        }
        CompiledObject compiled = CpuCodegen.compile(lowered.module(), options.targetCpu(), null);
        if (disk != null) {
            Optional<DiskCache.Loaded> stored = disk.store(entryKey, compiled, CacheKeys.frozenHashes(frozenIndices, inputs));
            if (stored.isPresent()) {
                return new Resolved(stored.get(), null, frozenIndices, CompileReport.Source.COMPILED, null);
            }
            MEMORY.put(entryKey, compiled);
            return new Resolved(null, compiled, frozenIndices, CompileReport.Source.COMPILED,
                    "no C compiler to link a shared library: kept in memory only");
        }
        MEMORY.put(entryKey, compiled);
        return new Resolved(null, compiled, frozenIndices, CompileReport.Source.COMPILED, null);
    }

    private static CpuBackend.Lowered lower(Module module, List<TensorType> types, List<DenseElementsAttr> inputs,
            Options options, Map<GemmProblem, Schedule> choices) {
        return CpuBackend.lower(module, types, inputs,
                new CpuBackend.Options(options.effectiveThreads(), options.optimize(), null, choices));
    }

    private static List<Integer> remember(DiskCache disk, String specKey, CpuBackend.Lowered lowered) {
        List<Integer> indices = new ArrayList<>(new TreeMap<>(lowered.frozen()).keySet());
        FROZEN.put(specKey, List.copyOf(indices));
        if (disk != null) {
            disk.putFrozenIndices(specKey, indices);
        }
        return List.copyOf(indices);
    }

    private static Map<Integer, DenseElementsAttr> frozen(List<Integer> indices, List<DenseElementsAttr> inputs) {
        Map<Integer, DenseElementsAttr> out = new LinkedHashMap<>();
        for (int i : indices) {
            out.put(i, inputs.get(i));
        }
        return out;
    }

    /** Forgets what this process remembers (tests of the disk cache start from a cold process this way). */
    static void clearMemory() {
        MEMORY.clear();
        FROZEN.clear();
    }
}
