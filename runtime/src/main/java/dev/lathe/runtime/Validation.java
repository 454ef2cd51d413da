package dev.lathe.runtime;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks a call's inputs against the signature, with messages that say what was expected. */
final class Validation {

    private Validation() {}

    static List<TensorInfo> infos(List<Signature.Port> ports, String role) {
        List<TensorInfo> out = new ArrayList<>();
        for (Signature.Port p : ports) {
            if (!(p.type() instanceof TensorType t)) {
                throw new UnsupportedOperationException(role + " '" + p.name() + "' is a " + p.type().text()
                        + ": the runtime API takes and returns tensors only (CpuBackend.compileValues runs such models)");
            }
            out.add(new TensorInfo(p.name(), DType.of(t.elementType()), t.shape()));
        }
        return List.copyOf(out);
    }

    /** The inputs in signature order, as the backend takes them; throws naming the first problem. */
    static List<DenseElementsAttr> inputs(List<TensorInfo> expected, Map<String, Tensor> given) {
        return values(tensors(expected, given));
    }

    /** The inputs in signature order, checked (no copy); throws naming the first problem. */
    static List<Tensor> tensors(List<TensorInfo> expected, Map<String, Tensor> given) {
        if (given == null) {
            throw new IllegalArgumentException("inputs must not be null; expected " + names(expected));
        }
        for (String name : given.keySet()) {
            if (expected.stream().noneMatch(e -> e.name().equals(name))) {
                throw new IllegalArgumentException("unknown input '" + name + "'; the model's inputs are " + names(expected));
            }
        }
        List<Tensor> out = new ArrayList<>(expected.size());
        for (TensorInfo e : expected) {
            Tensor t = given.get(e.name());
            if (t == null) {
                throw new IllegalArgumentException("missing input '" + e.name() + "': expected " + e.describe());
            }
            if (!fits(e, t)) {
                throw new IllegalArgumentException("input '" + e.name() + "': expected " + e.describe() + ", got " + t.describe());
            }
            out.add(t);
        }
        return out;
    }

    /** The tensors' types: the key of a specialization. */
    static List<TensorType> types(List<Tensor> tensors) {
        List<TensorType> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(type(t));
        }
        return out;
    }

    static TensorType type(Tensor t) {
        List<Long> shape = new ArrayList<>(t.rank());
        for (long d : t.shape()) {
            shape.add(d);
        }
        return TensorType.of(shape, t.dtype().scalar());
    }

    /** Copies of the tensors as attributes (the interpreter's and the compiler's form). */
    static List<DenseElementsAttr> values(List<Tensor> tensors) {
        List<DenseElementsAttr> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(DenseElementsAttr.fromBytes(type(t), t.toByteArray()));
        }
        return out;
    }

    private static boolean fits(TensorInfo e, Tensor t) {
        if (e.dtype() != t.dtype() || e.shape().size() != t.rank()) {
            return false;
        }
        long[] shape = t.shape();
        for (int i = 0; i < shape.length; i++) {
            long d = e.shape().get(i);
            if (d >= 0 && d != shape[i]) {
                return false;
            }
        }
        return true;
    }

    private static List<String> names(List<TensorInfo> infos) {
        return infos.stream().map(i -> i.name() + ": " + i.describe()).toList();
    }
}
