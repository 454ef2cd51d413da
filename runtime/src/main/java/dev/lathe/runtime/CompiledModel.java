package dev.lathe.runtime;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        List<DenseElementsAttr> values = Validation.inputs(this.inputs, given);
        List<TensorType> key = values.stream().map(DenseElementsAttr::type).toList();
        for (int attempt = 0; ; attempt++) {
            CompiledCpuModel model = specialization(key, values);
            List<DenseElementsAttr> results;
            try {
                results = model.run(values);
            } catch (IllegalStateException e) {
                // Evicted and closed by another thread between lookup and call: look up again.
                if (closed || attempt > 2 || !"the model was closed".equals(e.getMessage())) {
                    throw closed ? new IllegalStateException("the model was closed", e) : e;
                }
                continue;
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < results.size(); i++) {
                DenseElementsAttr r = results.get(i);
                long[] shape = r.type().shape().stream().mapToLong(Long::longValue).toArray();
                out.put(outputs.get(i).name(), Tensor.ofBytes(DType.of(r.elementType()), r.toBytes(), shape));
            }
            return out;
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
            reports.add(r.report());
            specializations.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(r.model());
            synchronized (recency) {
                recency.put(key, Boolean.TRUE);
                evict();
            }
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

    /** Under the compile lock: closes the least recently used specializations beyond the limit. */
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

    @Override
    public void close() {
        synchronized (compileLock) {
            if (closed) {
                return;
            }
            closed = true;
            List<CompiledCpuModel> all = new ArrayList<>();
            specializations.values().forEach(all::addAll);
            specializations.clear();
            all.forEach(CompiledCpuModel::close);
        }
    }
}
