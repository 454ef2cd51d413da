package dev.lathe.ir.type;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A buffer in lowered ({@code loop} dialect) code, such as {@code memref<4x8xf32>}: a static
 * shape, row-major and contiguous. Lowered code is fully static (docs/backend-cpu.md#shapes),
 * so there are no dynamic dimensions and no layouts. Obtain instances through {@link #of}.
 */
public record MemRefType(List<Long> shape, ScalarType elementType) implements Type {

    private static final ConcurrentHashMap<MemRefType, MemRefType> INTERNED = new ConcurrentHashMap<>();

    public MemRefType {
        shape = List.copyOf(shape);
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("a memref dimension must be a static size >= 0, found " + d);
            }
        }
        if (elementType == ScalarType.INDEX) {
            throw new IllegalArgumentException("index is not a memref element type");
        }
    }

    public static MemRefType of(List<Long> shape, ScalarType elementType) {
        MemRefType t = new MemRefType(shape, elementType);
        return INTERNED.computeIfAbsent(t, k -> k);
    }

    public static MemRefType of(ScalarType elementType, long... shape) {
        Long[] boxed = new Long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            boxed[i] = shape[i];
        }
        return of(List.of(boxed), elementType);
    }

    /** The buffer a static tensor of this type is stored in. */
    public static MemRefType of(TensorType tensor) {
        if (!tensor.hasStaticShape()) {
            throw new IllegalArgumentException("a buffer needs a static shape, found " + tensor.text());
        }
        return of(tensor.shape(), tensor.elementType());
    }

    public int rank() {
        return shape.size();
    }

    public long dim(int i) {
        return shape.get(i);
    }

    public long numElements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes the buffer occupies (i1 takes one byte per element). */
    public long byteSize() {
        return Math.multiplyExact(numElements(), elementType.byteSize());
    }

    public long[] shapeArray() {
        long[] s = new long[shape.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape.get(i);
        }
        return s;
    }

    /** Row-major strides in elements. */
    public long[] strides() {
        long[] strides = new long[shape.size()];
        long s = 1;
        for (int i = strides.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape.get(i);
        }
        return strides;
    }

    public TensorType toTensorType() {
        return TensorType.of(shape, elementType);
    }

    @Override
    public String text() {
        StringBuilder sb = new StringBuilder("memref<");
        for (long d : shape) {
            sb.append(d).append('x');
        }
        return sb.append(elementType.text()).append('>').toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
