package dev.lathe.bench;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.TensorSpec;
import dev.lathe.costmodel.GemmProblem;
import dev.lathe.costmodel.Schedule;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module compiled by Lathe's JIT ({@link CpuBackend#compile}, default options: the optimizing
 * graph pipeline) for one set of input shapes, with {@code threads} threads running its parallel
 * loops. The inputs are copied once into 64-byte-aligned native buffers, and a timed {@link #run}
 * is one call of the native entry point on them (outputs written into buffers allocated once),
 * the same work ORT's {@code session.run} does on its prepared tensors.
 */
public final class LatheEngine implements AutoCloseable {

    private final CompiledCpuModel model;
    private final double compileMs;
    private final Arena arena = Arena.ofShared();
    private final List<DenseElementsAttr> inputs;
    private final MemorySegment[] in;
    private final MemorySegment[] out;

    /** Compiles {@code module} for {@code inputs} (keyed by name; the values of inputs read at compile time matter). */
    public LatheEngine(Module module, Map<String, DenseElementsAttr> inputs, int threads) {
        this(module, inputs, threads, true);
    }

    /** As above; {@code optimize = false} compiles at {@code -O0} (no graph pipeline). */
    public LatheEngine(Module module, Map<String, DenseElementsAttr> inputs, int threads, boolean optimize) {
        this(module, inputs, threads, optimize, Map.of());
    }

    /** As above, with measured GEMM schedules ({@code --tune}) in place of the cost model's picks for their problems. */
    public LatheEngine(Module module, Map<String, DenseElementsAttr> inputs, int threads, boolean optimize,
            Map<GemmProblem, Schedule> gemmChoices) {
        List<DenseElementsAttr> ordered = ordered(module, inputs);
        this.inputs = List.copyOf(ordered);
        long t0 = System.nanoTime();
        model = CpuBackend.compile(module, ordered, CpuBackend.Options.defaults().withThreads(threads).withOptimize(optimize)
                .withGemmChoices(gemmChoices));
        compileMs = (System.nanoTime() - t0) / 1e6;
        in = new MemorySegment[ordered.size()];
        for (int i = 0; i < in.length; i++) {
            byte[] bytes = ordered.get(i).toBytes();
            in[i] = arena.allocate(Math.max(1, bytes.length), 64);
            MemorySegment.copy(bytes, 0, in[i], ValueLayout.JAVA_BYTE, 0, bytes.length);
        }
        List<TensorSpec> outs = model.nativeModel().signature().outputs();
        out = new MemorySegment[outs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arena.allocate(Math.max(1, outs.get(i).byteSize()), 64);
        }
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

    public CompiledCpuModel model() {
        return model;
    }

    /** One timed call. */
    public void run() {
        model.nativeModel().run(in, out);
    }

    /** The native output buffers, in signature order, as the last {@link #run} left them. */
    public MemorySegment output(int i) {
        return out[i];
    }

    /** One call's outputs through the public API, keyed by name. */
    public Map<String, DenseElementsAttr> outputs() {
        List<DenseElementsAttr> values = model.run(inputs);
        Map<String, DenseElementsAttr> named = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            named.put(model.signature().outputs().get(i).name(), values.get(i));
        }
        return named;
    }

    @Override
    public void close() {
        model.close();
        arena.close();
    }
}
