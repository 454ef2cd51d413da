package dev.lathe.runtime;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import dev.lathe.runtime.tier0.GraphProfile;
import dev.lathe.runtime.tier0.Tier0;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model ready to run, from {@link Lathe#compile}. Thread-safe: any number of threads may call
 * {@link #run} at once (each call gets its own workspace and outputs; they share only the
 * read-only code, weights and thread pool).
 *
 * <p>Native code holds for one set of input shapes (and, for the few inputs an op reads at
 * compile time, such as a Reshape target, their values). A model whose inputs have dynamic dims
 * is specialized on a call's shapes the first time they are seen; other shapes compile (or load
 * from the cache) another specialization. At most {@value #MAX_SPECIALIZATIONS} are kept; the
 * least recently used is closed when another is needed. {@link #close} frees them all.
 *
 * <p>With {@link Options#async} a specialization compiles on a background thread while calls
 * run in tier 0 ({@link Tier0}, the Truffle interpreter over the reference semantics); once it
 * is ready, calls with those inputs run native code. A failed background compile leaves those
 * calls in tier 0 and is reported by {@link #nativeReady()} and {@link #compileFailures()}.
 */
public final class CompiledModel implements AutoCloseable {

    static final int MAX_SPECIALIZATIONS = 16;

    private final Module module;
    private final Signature signature;
    private final byte[] graphHash;
    private final Options options;
    private final List<TensorInfo> inputs;
    private final List<TensorInfo> outputs;
    /** Specializations by input types; each list holds one per set of frozen-input values. */
    private final Map<List<TensorType>, List<CompiledCpuModel>> specializations = new ConcurrentHashMap<>();
    private final LinkedHashMap<List<TensorType>, Boolean> recency = new LinkedHashMap<>(16, 0.75f, true);
    private final List<CompileReport> reports = new CopyOnWriteArrayList<>();
    private final Object compileLock = new Object();
    private volatile boolean closed;

    // Async only (see Options.async): tier 0, the background compiler and its bookkeeping.
    private Tier0 tier0;
    private String tier0Problem;
    private ExecutorService background;
    private final Map<List<TensorType>, CompletableFuture<CompileReport>> pending = new ConcurrentHashMap<>();
    private final Map<List<TensorType>, Throwable> failures = new ConcurrentHashMap<>();
    private final CompletableFuture<CompileReport> nativeReady = new CompletableFuture<>();
    private final LongAdder tier0Calls = new LongAdder();

    CompiledModel(Module module, Signature signature, byte[] graphHash, Options options) {
        this.module = module;
        this.signature = signature;
        this.graphHash = graphHash;
        this.options = options;
        this.inputs = Validation.infos(signature.inputs(), "input");
        this.outputs = Validation.infos(signature.outputs(), "output");
    }

    /** The inputs in signature order ({@code -1} marks a dimension each call fixes). */
    public List<TensorInfo> inputs() {
        return inputs;
    }

    public List<TensorInfo> outputs() {
        return outputs;
    }

    public Options options() {
        return options;
    }

    /** How each specialization so far was made (compiled, or a cache hit), oldest first. */
    public List<CompileReport> compileReports() {
        return List.copyOf(reports);
    }

    /**
     * Runs the model. {@code inputs} maps every input name to a tensor of the input's dtype and
     * rank whose static dims match; throws {@link IllegalArgumentException} saying what was
     * expected otherwise. Returns the outputs by name, in signature order, in fresh tensors.
     */
    public Map<String, Tensor> run(Map<String, Tensor> given) {
        List<Tensor> tensors = Validation.tensors(this.inputs, given);
        List<TensorType> key = Validation.types(tensors);
        MemorySegment[] data = segments(tensors);
        for (int attempt = 0; ; attempt++) {
            CompiledCpuModel model = findNative(key, data);
            if (model == null) {
                // Not compiled for these shapes (or frozen values) yet: the values are needed as attributes.
                List<DenseElementsAttr> values = Validation.values(tensors);
                if (tier0 != null && find(key, values) == null) {
                    compileInBackground(key, values);
                    tier0Calls.increment();
                    return named(tier0.run(values));
                }
                model = specialization(key, values);
            }
            List<CompiledCpuModel.NativeOutput> results;
            try {
                // The tensors are native and element-aligned: the code reads them in place. A call's
                // outputs share one automatic arena (one cleaner a call, not one an output): its
                // memory goes when the last of them is unreachable.
                results = model.runInPlace(key, data, Arena.ofAuto());
            } catch (IllegalStateException e) {
                if (retry(e, attempt)) {
                    continue;
                }
                throw e;
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < results.size(); i++) {
                CompiledCpuModel.NativeOutput r = results.get(i);
                long[] shape = r.type().shape().stream().mapToLong(Long::longValue).toArray();
                out.put(outputs.get(i).name(), Tensor.wrap(DType.of(r.type().elementType()), r.data(), shape));
            }
            return out;
        }
    }

    /**
     * Runs the model writing its outputs into {@code into} (every output by name, each of the
     * dtype and shape this call's outputs have), allocating nothing: for a caller that reuses
     * its buffers from call to call, like ORT's I/O binding. The native code runs on the
     * tensors in place. Not for a model with an output of data-dependent shape (NonZero, ...),
     * nor in tier 0; throws {@link IllegalArgumentException} saying what does not fit.
     */
    public void run(Map<String, Tensor> given, Map<String, Tensor> into) {
        List<Tensor> tensors = Validation.tensors(this.inputs, given);
        List<TensorType> key = Validation.types(tensors);
        MemorySegment[] data = segments(tensors);
        if (into == null || into.size() != outputs.size()) {
            throw new IllegalArgumentException("give a tensor for each output " + outputs.stream().map(TensorInfo::name).toList());
        }
        for (int attempt = 0; ; attempt++) {
            CompiledCpuModel model = findNative(key, data);
            if (model == null) {
                model = specialization(key, Validation.values(tensors));
                if (model == null) {
                    throw new IllegalStateException("no native code for inputs " + key);
                }
            }
            var specs = model.nativeModel().signature().outputs();
            MemorySegment[] out = new MemorySegment[outputs.size()];
            for (int i = 0; i < out.length; i++) {
                Tensor t = into.get(outputs.get(i).name());
                var spec = specs.get(i);
                if (t == null || DType.of(spec.elementType()) != t.dtype()
                        || !spec.shape().equals(java.util.Arrays.stream(t.shape()).boxed().toList())) {
                    throw new IllegalArgumentException("output '" + outputs.get(i).name() + "': this call writes "
                            + TensorType.of(spec.shape(), spec.elementType()).text() + ", got " + (t == null ? "none" : t.describe()));
                }
                out[i] = t.segment();
            }
            try {
                model.runInto(key, data, out);
                return;
            } catch (IllegalStateException e) {
                if (!retry(e, attempt)) {
                    throw e;
                }
            }
        }
    }

    /** Whether a call that failed with {@code e} should look its specialization up again. */
    private boolean retry(IllegalStateException e, int attempt) {
        // Evicted and closed by another thread between lookup and call: look up again.
        if (closed) {
            throw new IllegalStateException("the model was closed", e);
        }
        return attempt <= 2 && "the model was closed".equals(e.getMessage());
    }

    private static MemorySegment[] segments(List<Tensor> tensors) {
        MemorySegment[] data = new MemorySegment[tensors.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = tensors.get(i).segment();
        }
        return data;
    }

    /** Tier 0's results as tensors, by output name. */
    private Map<String, Tensor> named(List<DenseElementsAttr> results) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            DenseElementsAttr r = results.get(i);
            long[] shape = r.type().shape().stream().mapToLong(Long::longValue).toArray();
            out.put(outputs.get(i).name(), Tensor.ofBytes(DType.of(r.elementType()), r.toBytes(), shape));
        }
        return out;
    }

    /**
     * Completes with the report of the first native specialization once it is ready (at once
     * for a model compiled eagerly without {@code async}); completes exceptionally when a
     * background compile fails before any is ready (calls keep running in tier 0).
     */
    public CompletableFuture<CompileReport> nativeReady() {
        return nativeReady.copy();
    }

    /** Background compiles that failed, by input types; their calls run in tier 0. */
    public Map<List<TensorType>, Throwable> compileFailures() {
        return Map.copyOf(failures);
    }

    /** How many calls ran in tier 0 so far (0 without {@code async}). */
    public long tier0Calls() {
        return tier0Calls.sum();
    }

    /** The input shapes and dtypes tier 0 has seen; empty without a tier 0. */
    public Optional<GraphProfile> tier0Profile() {
        return Optional.ofNullable(tier0).map(Tier0::profile);
    }

    /**
     * Why an {@code async} model has no tier 0 (an op it does not run), so its first calls wait
     * for native code; empty when tier 0 runs or without {@code async}.
     */
    public Optional<String> tier0Problem() {
        return Optional.ofNullable(tier0Problem);
    }

    /**
     * Async: prepares tier 0 for {@code fn} (of this model's module) and the background compiler,
     * then compiles {@code staticTypes} (null when an input has a dynamic dim) in the background.
     */
    void startAsync(dev.lathe.ir.Operation fn, List<TensorType> staticTypes) {
        try {
            tier0 = Tier0.of(module, fn);
        } catch (UnsupportedOperationException e) {
            tier0Problem = e.getMessage();
        }
        background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lathe-background-compile");
            t.setDaemon(true); // a compile in flight must not keep the JVM alive
            return t;
        });
        if (staticTypes != null) {
            compileInBackground(staticTypes, new ArrayList<>(java.util.Collections.nCopies(staticTypes.size(), null)));
        }
    }

    /** Starts compiling the specialization for {@code key} unless one is under way or failed. */
    private void compileInBackground(List<TensorType> key, List<DenseElementsAttr> values) {
        if (closed || failures.containsKey(key) || pending.containsKey(key)) {
            return;
        }
        CompletableFuture<CompileReport> task = new CompletableFuture<>();
        if (pending.putIfAbsent(key, task) != null) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    int before = reports.size();
                    CompiledCpuModel m = specialization(key, values);
                    List<CompileReport> all = compileReports();
                    task.complete(m != null && all.size() > before ? all.getLast() : null);
                } catch (Throwable t) {
                    failures.put(key, t);
                    nativeReady.completeExceptionally(t);
                    task.completeExceptionally(t);
                } finally {
                    pending.remove(key, task);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            pending.remove(key, task);
        }
    }

    /**
     * Compiles (or loads) the specialization for these inputs now, so the first {@link #run}
     * with them does not wait; returns how it was made (a cache hit or not).
     */
    public CompileReport warmUp(Map<String, Tensor> sample) {
        List<DenseElementsAttr> values = Validation.inputs(this.inputs, sample);
        int before = reports.size();
        specialization(values.stream().map(DenseElementsAttr::type).toList(), values);
        List<CompileReport> all = compileReports();
        return all.size() > before ? all.get(all.size() - 1) : null;
    }

    /**
     * Compiles the specialization for static input types before any call, unless an input is
     * read at compile time (its value comes with the first call then).
     */
    void compileStatic(List<TensorType> types) {
        List<DenseElementsAttr> none = new ArrayList<>(java.util.Collections.nCopies(types.size(), null));
        specialization(types, none);
    }

    private CompiledCpuModel specialization(List<TensorType> key, List<DenseElementsAttr> values) {
        CompiledCpuModel found = find(key, values);
        if (found != null) {
            return found;
        }
        synchronized (compileLock) {
            if (closed) {
                throw new IllegalStateException("the model was closed");
            }
            found = values.contains(null) ? null : find(key, values);
            if (found != null) {
                return found;
            }
            SpecializationCompiler.Result r = SpecializationCompiler.compile(module, signature, graphHash, key, values, options);
            if (r == null) {
                return null;
            }
            synchronized (recency) {
                // close() may have run during the compile (it does not wait for one): drop the result.
                if (closed) {
                    r.model().close();
                    throw new IllegalStateException("the model was closed");
                }
                reports.add(r.report());
                specializations.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(r.model());
                recency.put(key, Boolean.TRUE);
                evict();
            }
            nativeReady.complete(r.report());
            return r.model();
        }
    }

    private CompiledCpuModel find(List<TensorType> key, List<DenseElementsAttr> values) {
        if (closed) {
            throw new IllegalStateException("the model was closed");
        }
        if (values.contains(null)) {
            return null;
        }
        List<CompiledCpuModel> candidates = specializations.get(key);
        if (candidates == null) {
            return null;
        }
        for (CompiledCpuModel m : candidates) {
            if (m.accepts(values)) { // checks the values of frozen inputs too
                synchronized (recency) {
                    recency.get(key);
                }
                return m;
            }
        }
        return null;
    }

    /** {@link #find} for a call's native inputs (frozen inputs compared in place). */
    private CompiledCpuModel findNative(List<TensorType> key, MemorySegment[] data) {
        if (closed) {
            throw new IllegalStateException("the model was closed");
        }
        List<CompiledCpuModel> candidates = specializations.get(key);
        if (candidates == null) {
            return null;
        }
        for (CompiledCpuModel m : candidates) {
            if (m.accepts(key, data)) {
                synchronized (recency) {
                    recency.get(key);
                }
                return m;
            }
        }
        return null;
    }

    /** Under the recency lock: closes the least recently used specializations beyond the limit. */
    private void evict() {
        int total = specializations.values().stream().mapToInt(List::size).sum();
        var it = recency.keySet().iterator();
        while (total > MAX_SPECIALIZATIONS && it.hasNext()) {
            List<TensorType> oldest = it.next();
            List<CompiledCpuModel> gone = specializations.remove(oldest);
            it.remove();
            if (gone != null) {
                total -= gone.size();
                gone.forEach(CompiledCpuModel::close); // waits for calls running on it
            }
        }
    }

    /**
     * Frees the native code and tier 0, waiting for calls running on them. Does not wait for a
     * background compile: its result is dropped when it ends.
     */
    @Override
    public void close() {
        List<CompiledCpuModel> all = new ArrayList<>();
        synchronized (recency) {
            if (closed) {
                return;
            }
            closed = true;
            specializations.values().forEach(all::addAll);
            specializations.clear();
            recency.clear();
        }
        all.forEach(CompiledCpuModel::close);
        if (tier0 != null) {
            tier0.close();
        }
        if (background != null) {
            background.shutdown();
        }
        nativeReady.completeExceptionally(new IllegalStateException("the model was closed"));
    }
}
