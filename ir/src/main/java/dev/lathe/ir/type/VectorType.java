package dev.lathe.ir.type;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A 1-D vector of scalars in lowered code, such as {@code vector<16xf32>}: {@code length} is a
 * power of two from 2 to 64. Elementwise {@code loop} ops accept vectors wherever they accept
 * scalars, so vectorizing a loop only changes types. Obtain instances through {@link #of}.
 */
public record VectorType(int length, ScalarType elementType) implements Type {

    public static final int MAX_LENGTH = 64;

    private static final ConcurrentHashMap<VectorType, VectorType> INTERNED = new ConcurrentHashMap<>();

    public VectorType {
        if (length < 2 || length > MAX_LENGTH || Integer.bitCount(length) != 1) {
            throw new IllegalArgumentException("a vector length must be a power of two from 2 to " + MAX_LENGTH
                    + ", found " + length);
        }
        if (elementType == ScalarType.INDEX) {
            throw new IllegalArgumentException("index is not a vector element type");
        }
    }

    public static VectorType of(int length, ScalarType elementType) {
        VectorType t = new VectorType(length, elementType);
        return INTERNED.computeIfAbsent(t, k -> k);
    }

    /** The element type of a scalar or vector type; null for anything else. */
    public static ScalarType scalarOf(Type t) {
        return switch (t) {
            case ScalarType s -> s;
            case VectorType v -> v.elementType();
            default -> null;
        };
    }

    /** {@code t} with its element type replaced: a scalar or a vector of the same length. */
    public static Type withElement(Type t, ScalarType element) {
        return t instanceof VectorType v ? of(v.length(), element) : element;
    }

    @Override
    public String text() {
        return "vector<" + length + "x" + elementType.text() + ">";
    }

    @Override
    public String toString() {
        return text();
    }
}
