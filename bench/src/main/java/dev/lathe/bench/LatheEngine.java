package dev.lathe.bench;

import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import dev.lathe.runtime.CompiledModel;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Lathe;
import dev.lathe.runtime.Options;
import dev.lathe.runtime.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module compiled by Lathe's embedding API ({@link Lathe#compile}: the optimizing graph
 * pipeline, no disk cache) for one set of input shapes, with {@code threads} threads running its
 * parallel loops. A timed {@link #run} is what a user's call is: {@link CompiledModel#run} on
 * the input {@link Tensor}s (made once, in native memory), which validates them, finds the
 * specialization, runs it and returns fresh output tensors; the same work ORT's
 * {@code session.run} does on its prepared tensors.
 */
public final class LatheEngine implements AutoCloseable {

    private final CompiledModel model;
    private final double compileMs;
    private final Map<String, Tensor> inputs = new LinkedHashMap<>();
    private Map<String, Tensor> reused;

    /** Compiles {@code module} for {@code inputs} (keyed by name; the values of inputs read at compile time matter). */
    public LatheEngine(Module module, Map<String, DenseElementsAttr> inputs, int threads) {
        this(module, inputs, threads, true);
    }

    /** As above; {@code optimize = false} compiles at {@code -O0} (no graph pipeline). */
    public LatheEngine(Module module, Map<String, DenseElementsAttr> inputs, int threads, boolean optimize) {
        this(module, inputs, threads, optimize, null);
    }

    /**
     * As above, with the GEMM schedules of the tuning table in {@code tuningDir} ({@code --tune});
     * null: the cost model's picks only (never the user's default table, so figures do not depend
     * on what was tuned before).
     */
    public LatheEngine(Module module, Map<String, DenseElementsAttr> inputs, int threads, boolean optimize,
            Path tuningDir) {
        inputs.forEach((name, v) -> this.inputs.put(name, tensor(v)));
        long t0 = System.nanoTime();
        model = Lathe.compile(module, Options.defaults().withThreads(threads).withOptimize(optimize).withCacheDir(null)
                .withTuningDir(tuningDir));
        model.warmUp(this.inputs); // compiles now where an input's value is read at compile time
        compileMs = (System.nanoTime() - t0) / 1e6;
    }

    private static Tensor tensor(DenseElementsAttr v) {
        long[] shape = v.type().shape().stream().mapToLong(Long::longValue).toArray();
        return Tensor.ofBytes(DType.fromName(v.elementType().text()), v.toBytes(), shape);
    }

    /** {@code inputs} in the order of the module's signature. */
    static List<DenseElementsAttr> ordered(Module module, Map<String, DenseElementsAttr> inputs) {
        Signature sig = Signature.of(CpuBackend.entry(module));
        List<DenseElementsAttr> ordered = new ArrayList<>();
        for (Signature.Port p : sig.inputs()) {
            DenseElementsAttr v = inputs.get(p.name());
            if (v == null) {
                throw new IllegalArgumentException("no value for input '" + p.name() + "'");
            }
            ordered.add(v);
        }
        return ordered;
    }

    /** Milliseconds from the {@code nn} module to callable code (specialize, passes, lowering, LLVM, JIT). */
    public double compileMs() {
        return compileMs;
    }

    public CompiledModel model() {
        return model;
    }

    /**
     * Times calls that write into output tensors made once ({@link CompiledModel#run(Map, Map)},
     * the I/O-binding form) instead of fresh ones: for comparing with a library that writes into
     * the caller's buffer (OpenBLAS's sgemm), where a fresh 4 MB output per call would measure
     * page faults.
     */
    public LatheEngine reusingOutputs() {
        reused = model.run(inputs);
        return this;
    }

    /** One timed call: the outputs are made and dropped, as a user's would be after use (unless {@link #reusingOutputs}). */
    public void run() {
        if (reused != null) {
            model.run(inputs, reused);
        } else {
            model.run(inputs);
        }
    }

    /** One call's outputs through the public API, keyed by name. */
    public Map<String, DenseElementsAttr> outputs() {
        Map<String, DenseElementsAttr> named = new LinkedHashMap<>();
        model.run(inputs).forEach((name, t) -> named.put(name, DenseElementsAttr.fromBytes(
                TensorType.of(java.util.Arrays.stream(t.shape()).boxed().toList(),
                        dev.lathe.ir.type.ScalarType.fromText(t.dtype().irName()).orElseThrow()),
                t.toByteArray())));
        return named;
    }

    @Override
    public void close() {
        model.close();
    }
}
