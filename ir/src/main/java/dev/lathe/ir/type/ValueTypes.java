package dev.lathe.ir.type;

import java.util.ArrayList;
import java.util.List;

/**
 * Compatibility and joins of value types, including sequences and optionals. Inside
 * {@code !nn.sequence<...>} and {@code !nn.optional<...>}, a bare element type such as
 * {@code f32} stands for "a tensor of f32 of unknown rank" (ONNX's SequenceEmpty, or branches
 * that yield tensors of different ranks); at the top level a scalar type is just a scalar.
 */
public final class ValueTypes {

    private ValueTypes() {}

    /**
     * Whether a value of type {@code actual} may stand where {@code declared} is expected:
     * equal, tensors compatible dim by dim, containers compatible element by element, and any
     * tensor of the right element type where a container's element is unranked.
     */
    public static boolean isCompatible(Type actual, Type declared) {
        if (actual == declared) {
            return true;
        }
        return switch (declared) {
            case TensorType d -> actual instanceof TensorType a && a.isCompatibleWith(d);
            case SequenceType d -> actual instanceof SequenceType a && isCompatibleElement(a.element(), d.element());
            // a present value of T may stand for an !nn.optional<T> (ONNX passes values so to optional inputs)
            case OptionalType d -> actual instanceof OptionalType a ? isCompatibleElement(a.element(), d.element())
                    : !(d.element() instanceof ScalarType) && isCompatible(actual, d.element());
            default -> false;
        };
    }

    private static boolean isCompatibleElement(Type actual, Type declared) {
        if (declared instanceof ScalarType s) {
            return elementType(actual) == s;
        }
        return actual instanceof ScalarType a ? elementType(declared) == a : isCompatible(actual, declared);
    }

    /** The element type of a tensor or of an unranked container element; null for containers. */
    public static ScalarType elementType(Type t) {
        return switch (t) {
            case TensorType tt -> tt.elementType();
            case ScalarType s -> s;
            default -> null;
        };
    }

    /**
     * The most specific type both {@code a} and {@code b} fit, or null when there is none:
     * tensors of one element type and rank join dim by dim (a differing dim becomes {@code ?});
     * inside containers, tensors of different ranks join to the bare element type.
     */
    public static Type join(Type a, Type b) {
        return join(a, b, false);
    }

    /**
     * Like {@link #join} for the elements of a sequence or optional, where tensors of different
     * ranks (or a tensor and a bare element type) join to the bare element type.
     */
    public static Type joinElements(Type a, Type b) {
        return join(a, b, true);
    }

    private static Type join(Type a, Type b, boolean inContainer) {
        if (a == b) {
            return a;
        }
        if (a instanceof TensorType x && b instanceof TensorType y && x.elementType() == y.elementType()) {
            if (x.rank() != y.rank()) {
                return inContainer ? x.elementType() : null;
            }
            List<Long> dims = new ArrayList<>();
            for (int i = 0; i < x.rank(); i++) {
                dims.add(x.dim(i) == y.dim(i) ? x.dim(i) : TensorType.DYNAMIC);
            }
            return TensorType.of(dims, x.elementType());
        }
        if (inContainer && elementType(a) != null && elementType(a) == elementType(b)) {
            return elementType(a); // one of them is unranked already
        }
        if (a instanceof SequenceType x && b instanceof SequenceType y) {
            Type e = join(x.element(), y.element(), true);
            return e == null ? null : SequenceType.of(e);
        }
        if (a instanceof OptionalType || b instanceof OptionalType) { // a plain value joins as a present optional
            Type x = a instanceof OptionalType o ? o.element() : a;
            Type y = b instanceof OptionalType o ? o.element() : b;
            Type e = join(x, y, true);
            return e == null ? null : OptionalType.of(e);
        }
        return null;
    }
}
