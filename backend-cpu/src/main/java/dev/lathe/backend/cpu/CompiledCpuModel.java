package dev.lathe.backend.cpu;

import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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

    CompiledCpuModel(Signature signature, NativeModel model, Map<Integer, DenseElementsAttr> frozen) {
        this.signature = signature;
        this.model = model;
        this.frozen = Map.copyOf(frozen);
    }

    public Signature signature() {
        return signature;
    }

    public NativeModel nativeModel() {
        return model;
    }

    /** Inputs the compiled code took as constants: a call must pass these values. */
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

    /** Runs on copies of {@code inputs}; the outputs in signature order. */
    public List<DenseElementsAttr> run(List<DenseElementsAttr> inputs) {
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
            List<DenseElementsAttr> results = new ArrayList<>();
            for (int i = 0; i < out.length; i++) {
                var spec = outSpecs.get(i);
                byte[] bytes = out[i].asSlice(0, spec.byteSize()).toArray(ValueLayout.JAVA_BYTE);
                results.add(DenseElementsAttr.fromBytes(TensorType.of(spec.shape(), spec.elementType()), bytes));
            }
            return results;
        }
    }

    private static String describe(List<DenseElementsAttr> inputs) {
        return inputs.stream().map(a -> a.type().text()).toList().toString();
    }

    @Override
    public void close() {
        model.close();
    }
}
