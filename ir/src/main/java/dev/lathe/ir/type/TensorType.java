package dev.lathe.ir.type;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ranked tensor type such as {@code tensor<2x?x4xf32>}; {@link #DYNAMIC} marks a {@code ?}
 * dimension. Obtain instances through {@link #of}, which interns them.
 */
public record TensorType(List<Long> shape, ScalarType elementType) implements Type {

    public static final long DYNAMIC = -1;

    private static final ConcurrentHashMap<TensorType, TensorType> INTERNED = new ConcurrentHashMap<>();

    public TensorType {
        shape = List.copyOf(shape);
        for (long d : shape) {
            if (d < 0 && d != DYNAMIC) {
                throw new IllegalArgumentException("negative tensor dimension " + d);
            }
        }
        if (elementType == ScalarType.INDEX) {
            throw new IllegalArgumentException("index is not a tensor element type");
        }
    }

    public static TensorType of(List<Long> shape, ScalarType elementType) {
        TensorType t = new TensorType(shape, elementType);
        return INTERNED.computeIfAbsent(t, k -> k);
    }

    public static TensorType of(ScalarType elementType, long... shape) {
        Long[] boxed = new Long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            boxed[i] = shape[i];
        }
        return of(List.of(boxed), elementType);
    }

    public int rank() {
        return shape.size();
    }

    public long dim(int i) {
        return shape.get(i);
    }

    public boolean isDynamic(int i) {
        return shape.get(i) == DYNAMIC;
    }

    public boolean hasStaticShape() {
        return !shape.contains(DYNAMIC);
    }

    /** Number of elements; only meaningful for static shapes. */
    public long numElements() {
        long n = 1;
        for (long d : shape) {
            if (d == DYNAMIC) {
                throw new IllegalStateException("numElements of dynamic shape " + text());
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long[] shapeArray() {
        long[] s = new long[shape.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape.get(i);
        }
        return s;
    }

    public TensorType withShape(List<Long> newShape) {
        return of(newShape, elementType);
    }

    public TensorType withElementType(ScalarType newElementType) {
        return of(shape, newElementType);
    }

    /**
     * Shapes are compatible when ranks agree and each pair of dims is equal or one is dynamic
     * (MLIR's verifyCompatibleShape); element types must be equal.
     */
    public boolean isCompatibleWith(TensorType other) {
        if (elementType != other.elementType || rank() != other.rank()) {
            return false;
        }
        for (int i = 0; i < rank(); i++) {
            long a = dim(i);
            long b = other.dim(i);
            if (a != DYNAMIC && b != DYNAMIC && a != b) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String text() {
        StringBuilder sb = new StringBuilder("tensor<");
        for (long d : shape) {
            sb.append(d == DYNAMIC ? "?" : Long.toString(d)).append('x');
        }
        return sb.append(elementType.text()).append('>').toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
