package dev.lathe.backend.cpu;

import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model compiled by {@link CpuBackend} for one specialization: inputs of the shapes it was
 * compiled for and, for the inputs read at compile time, the same values. Thread-safe.
 */
public final class CompiledCpuModel implements AutoCloseable {

    private final Signature signature;
    private final NativeModel model;
    private final Map<Integer, DenseElementsAttr> frozen;
    private final List<BoundaryValue> inputs;
    private final List<BoundaryValue> outputs;
    /** The frozen inputs' bytes, to compare with a call's native inputs. */
    private final Map<Integer, MemorySegment> frozenBytes;

    CompiledCpuModel(Signature signature, NativeModel model, Map<Integer, DenseElementsAttr> frozen,
            List<BoundaryValue> inputs, List<BoundaryValue> outputs) {
        this.signature = signature;
        this.model = model;
        this.frozen = Map.copyOf(frozen);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        Map<Integer, MemorySegment> bytes = new java.util.HashMap<>();
        this.frozen.forEach((i, v) -> bytes.put(i, MemorySegment.ofArray(v.toBytes())));
        this.frozenBytes = Map.copyOf(bytes);
    }

    /**
     * A model whose graph inputs and outputs are all tensors, one native argument each, from
     * code linked or loaded elsewhere (the runtime's compile cache): {@code frozen} are the
     * inputs (by index) its code took as constants when it was compiled.
     */
    public static CompiledCpuModel ofTensors(Signature signature, NativeModel model, Map<Integer, DenseElementsAttr> frozen) {
        List<BoundaryValue> in = new ArrayList<>();
        for (int i = 0; i < model.signature().inputs().size(); i++) {
            in.add(new BoundaryValue.Tensor(i));
        }
        List<BoundaryValue> out = new ArrayList<>();
        for (int i = 0; i < model.signature().graphOutputCount(); i++) {
            out.add(new BoundaryValue.Tensor(i));
        }
        return new CompiledCpuModel(signature, model, frozen, in, out);
    }

    public Signature signature() {
        return signature;
    }

    public NativeModel nativeModel() {
        return model;
    }

    /** How the graph's inputs map to native tensor arguments (sequences and optionals flattened). */
    public List<BoundaryValue> inputLayout() {
        return inputs;
    }

    /** How the native tensor outputs make up the graph's outputs. */
    public List<BoundaryValue> outputLayout() {
        return outputs;
    }

    /** Inputs the compiled code took as constants (by native argument): a call must pass these values. */
    public Map<Integer, DenseElementsAttr> frozenInputs() {
        return frozen;
    }

    /** Whether {@code inputs} fit this specialization (shapes, and the values of frozen inputs). */
    public boolean accepts(List<DenseElementsAttr> inputs) {
        var specs = model.signature().inputs();
        if (inputs.size() != specs.size()) {
            return false;
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).type().shape().equals(specs.get(i).shape())
                    || inputs.get(i).elementType() != specs.get(i).elementType()) {
                return false;
            }
            DenseElementsAttr f = frozen.get(i);
            if (f != null && !f.equals(inputs.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether native inputs of {@code types} holding {@code data} fit this specialization (the
     * bytes of frozen inputs compared with the values they were compiled for).
     */
    public boolean accepts(List<TensorType> types, MemorySegment[] data) {
        var specs = model.signature().inputs();
        if (types.size() != specs.size() || data.length != specs.size()) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            TensorSpec spec = specs.get(i);
            if (!types.get(i).shape().equals(spec.shape()) || types.get(i).elementType() != spec.elementType()) {
                return false;
            }
            MemorySegment f = frozenBytes.get(i);
            if (f != null && (data[i].byteSize() < f.byteSize()
                    || MemorySegment.mismatch(data[i], 0, f.byteSize(), f, 0, f.byteSize()) != -1)) {
                return false;
            }
        }
        return true;
    }

    /** A graph output of {@link #runInPlace}: its type and its elements (dense, row-major). */
    public record NativeOutput(TensorType type, MemorySegment data) {}

    /**
     * Runs on native inputs where they are, without copying them (each dense row-major, of the
     * type {@code types} gives, aligned to its element size; none written while the call runs):
     * the output buffers come from {@code allocator} (64-byte aligned) and are returned as the
     * graph's outputs, a bounded one cut to its extent (a copy). The embedding runtime's path:
     * no copy of a tensor either way.
     */
    public List<NativeOutput> runInPlace(List<TensorType> types, MemorySegment[] inputs, SegmentAllocator allocator) {
        checkFits(types, inputs);
        ModelSignature sig = model.signature();
        var outSpecs = sig.outputs();
        MemorySegment[] out = new MemorySegment[outSpecs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = allocator.allocate(Math.max(1, outSpecs.get(i).byteSize()), 64);
        }
        model.run(inputs, out);
        List<NativeOutput> results = new ArrayList<>(sig.graphOutputCount());
        for (int i = 0; i < sig.graphOutputCount(); i++) {
            TensorSpec spec = outSpecs.get(i);
            ModelSignature.Bounded bounded = sig.boundedOutput(i);
            if (bounded != null) {
                DenseElementsAttr cut = cut(out[i], spec, bounded.dim(), out[bounded.extentOutput()].get(ValueLayout.JAVA_LONG, 0));
                byte[] bytes = cut.toBytes();
                MemorySegment data = allocator.allocate(Math.max(1, bytes.length), 64);
                MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, 0, bytes.length);
                results.add(new NativeOutput(cut.type(), data));
            } else {
                results.add(new NativeOutput(TensorType.of(spec.shape(), spec.elementType()), out[i].asSlice(0, spec.byteSize())));
            }
        }
        return results;
    }

    /**
     * {@link #runInPlace} writing the outputs into the caller's buffers (signature order, each at
     * least its output's bytes, element-aligned); for a model without bounded outputs.
     */
    public void runInto(List<TensorType> types, MemorySegment[] inputs, MemorySegment[] outputs) {
        checkFits(types, inputs);
        if (model.signature().outputs().size() != model.signature().graphOutputCount()) {
            throw new UnsupportedOperationException("the model has outputs of data-dependent shape: run it with fresh outputs");
        }
        model.run(inputs, outputs);
    }

    private void checkFits(List<TensorType> types, MemorySegment[] inputs) {
        if (!accepts(types, inputs)) {
            throw new IllegalArgumentException("inputs " + types.stream().map(TensorType::text).toList()
                    + " do not fit the compiled specialization " + model.signature().inputs() + (frozen.isEmpty() ? ""
                    : " with inputs " + frozen.keySet() + " fixed to their compile-time values"));
        }
    }

    /**
     * Runs on graph inputs that may be sequences or optionals, which must have the lengths and
     * presence the model was compiled for; the outputs in signature order, sequences and
     * optionals rebuilt.
     */
    public List<RuntimeValue> runValues(List<RuntimeValue> values) {
        List<DenseElementsAttr> flat = new ArrayList<>();
        List<BoundaryValue> given = BoundaryValue.flatten(values, flat);
        boolean fits = given.size() == inputs.size();
        for (int i = 0; fits && i < given.size(); i++) {
            fits = inputs.get(i).sameStructure(given.get(i));
        }
        if (!fits) {
            throw new IllegalArgumentException("inputs " + given.stream().map(BoundaryValue::describe).toList()
                    + " do not fit the compiled specialization " + inputs.stream().map(BoundaryValue::describe).toList()
                    + " (sequence lengths and optional presence are compiled in)");
        }
        List<DenseElementsAttr> out = runFlat(flat);
        List<RuntimeValue> results = new ArrayList<>();
        for (BoundaryValue o : outputs) {
            results.add(o.rebuild(out));
        }
        return results;
    }

    /**
     * Runs on copies of {@code inputs}, one per native argument (for a model of tensor inputs and
     * outputs, the graph's); the native outputs in order, bounded ones cut to their extents
     * (which are not returned themselves).
     */
    public List<DenseElementsAttr> run(List<DenseElementsAttr> inputs) {
        return runFlat(inputs);
    }

    private List<DenseElementsAttr> runFlat(List<DenseElementsAttr> inputs) {
        if (!accepts(inputs)) {
            throw new IllegalArgumentException("inputs " + describe(inputs) + " do not fit the compiled specialization "
                    + model.signature().inputs() + (frozen.isEmpty() ? "" : " with inputs " + frozen.keySet()
                    + " fixed to their compile-time values"));
        }
        var outSpecs = model.signature().outputs();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] in = new MemorySegment[inputs.size()];
            for (int i = 0; i < in.length; i++) {
                byte[] bytes = inputs.get(i).toBytes();
                in[i] = arena.allocate(Math.max(1, bytes.length), 64);
                MemorySegment.copy(bytes, 0, in[i], ValueLayout.JAVA_BYTE, 0, bytes.length);
            }
            MemorySegment[] out = new MemorySegment[outSpecs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = arena.allocate(Math.max(1, outSpecs.get(i).byteSize()), 64);
            }
            model.run(in, out);
            ModelSignature sig = model.signature();
            List<DenseElementsAttr> results = new ArrayList<>();
            for (int i = 0; i < sig.graphOutputCount(); i++) {
                var spec = outSpecs.get(i);
                ModelSignature.Bounded bounded = sig.boundedOutput(i);
                if (bounded != null) {
                    results.add(cut(out[i], spec, bounded.dim(), out[bounded.extentOutput()].get(ValueLayout.JAVA_LONG, 0)));
                    continue;
                }
                byte[] bytes = out[i].asSlice(0, spec.byteSize()).toArray(ValueLayout.JAVA_BYTE);
                results.add(DenseElementsAttr.fromBytes(TensorType.of(spec.shape(), spec.elementType()), bytes));
            }
            return results;
        }
    }

    /**
     * A bounded output as the graph's tensor: dim {@code dim} cut to {@code extent}, each run of
     * {@code extent · inner} elements copied from its place in the bound-shaped buffer.
     */
    private static DenseElementsAttr cut(MemorySegment buffer, TensorSpec spec, int dim, long extent) {
        List<Long> bound = spec.shape();
        if (extent < 0 || extent > bound.get(dim)) {
            throw new IllegalStateException("output '" + spec.name() + "' reports extent " + extent + " for dim " + dim
                    + " of its bound " + bound);
        }
        long outer = 1;
        long inner = spec.elementType().byteSize();
        for (int d = 0; d < bound.size(); d++) {
            if (d < dim) {
                outer *= bound.get(d);
            } else if (d > dim) {
                inner *= bound.get(d);
            }
        }
        long run = extent * inner;
        byte[] bytes = new byte[Math.toIntExact(outer * run)];
        for (long o = 0; o < outer; o++) {
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, o * bound.get(dim) * inner, bytes, (int) (o * run), (int) run);
        }
        List<Long> shape = new ArrayList<>(bound);
        shape.set(dim, extent);
        return DenseElementsAttr.fromBytes(TensorType.of(shape, spec.elementType()), bytes);
    }

    private static String describe(List<DenseElementsAttr> inputs) {
        return inputs.stream().map(a -> a.type().text()).toList().toString();
    }

    @Override
    public void close() {
        model.close();
    }
}
