package dev.lathe.runtime;

import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.frontend.IRParser;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Verifier;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import dev.lathe.runtime.cache.CacheKeys;
import dev.lathe.runtime.cache.FunctionalHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the embedding API (docs/embedding.md): compiles a model for this machine.
 *
 * <pre>{@code
 * try (CompiledModel model = Lathe.compile(Path.of("model.onnx"), Options.defaults())) {
 *     Map<String, Tensor> out = model.run(Map.of("x", Tensor.of(new float[] {1, 2}, 2)));
 * }
 * }</pre>
 */
public final class Lathe {

    private Lathe() {}

    /** Reads {@code model} ({@code .onnx}, else IR text) and compiles it; see {@link #compile(Module, Options)}. */
    public static CompiledModel compile(Path model, Options options) {
        Module module;
        try {
            if (model.getFileName().toString().endsWith(".onnx")) {
                module = OnnxImporter.importModel(model);
            } else {
                module = IRParser.parse(Files.readString(model), model.toString());
                Verifier.verifyOrThrow(module, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + model + " failed: " + e.getMessage(), e);
        }
        return compile(module, options);
    }

    /**
     * Compiles {@code module} (an {@code nn} module with one function; copied, so later changes
     * to it do not matter). When every input has a static shape the native code is compiled (or
     * loaded from the cache) now, unless an input is read at compile time; otherwise each new
     * set of input shapes is compiled on the first call that has it. With {@link Options#async}
     * it returns at once and compiles in the background (calls run in tier 0 meanwhile).
     */
    public static CompiledModel compile(Module module, Options options) {
        Module copy = module.copy();
        Operation fn = CpuBackend.entry(copy);
        Signature signature = Signature.of(fn);
        CompiledModel model = new CompiledModel(copy, signature, FunctionalHash.of(copy, fn), options);
        List<TensorType> types = new ArrayList<>();
        for (Signature.Port p : signature.inputs()) {
            if (p.type() instanceof TensorType t && t.hasStaticShape()) {
                types.add(t);
            }
        }
        boolean allStatic = types.size() == signature.inputs().size();
        if (options.async()) {
            // Returns at once: tier 0 answers calls while native code compiles in the background.
            try {
                model.startAsync(fn, allStatic ? types : null);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            return model;
        }
        if (allStatic) {
            try {
                model.compileStatic(types);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
        return model;
    }

    /**
     * Compiles {@code module} ahead of time through the disk cache ({@code options.cacheDir()})
     * for inputs of {@code types} (values needed only for inputs read at compile time; nulls
     * allowed otherwise) and copies the artifact (docs/aot.md) into {@code outDir}; reports
     * whether the cache hit.
     */
    public static CompileReport compileArtifact(Module module, List<TensorType> types,
            List<dev.lathe.ir.attr.DenseElementsAttr> values, Options options, Path outDir) {
        Module copy = module.copy();
        Operation fn = CpuBackend.entry(copy);
        List<Signature.Port> ports = Signature.of(fn).inputs();
        List<TensorType> filled = new ArrayList<>();
        List<dev.lathe.ir.attr.DenseElementsAttr> given = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            TensorType t = i < types.size() ? types.get(i) : null;
            if (t == null && !(ports.get(i).type() instanceof TensorType declared && (t = declared) != null)) {
                throw new IllegalArgumentException("input '" + ports.get(i).name() + "' is not a tensor");
            }
            filled.add(t);
            given.add(i < values.size() ? values.get(i) : null);
        }
        SpecializationCompiler.Artifact a = SpecializationCompiler.artifact(copy, FunctionalHash.of(copy, fn), filled,
                given, options);
        try {
            Files.createDirectories(outDir);
            try (var files = Files.list(a.directory())) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (!name.equals(dev.lathe.runtime.cache.DiskCache.ENTRY) && !name.equals(dev.lathe.runtime.cache.DiskCache.CHECKSUMS)) {
                        Files.copy(f, outDir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying the artifact to " + outDir + " failed: " + e.getMessage(), e);
        }
        return a.report();
    }

    /** The Lathe version (with the runtime's build time), part of every cache key. */
    public static String version() {
        return CacheKeys.version();
    }
}
