package dev.lathe.bench;

import dev.lathe.ir.type.ScalarType;
import java.util.Arrays;

/**
 * One model input as its signature declares it: name, element type, and shape, where a dynamic
 * dimension is {@code -1} and may have a symbolic name ({@code dimNames[i]}, "" when unnamed).
 */
public record InputSpec(String name, ScalarType elementType, long[] shape, String[] dimNames) {

    public InputSpec {
        if (dimNames.length != shape.length) {
            throw new IllegalArgumentException("input '" + name + "': " + shape.length + " dims but " + dimNames.length
                    + " dimension names");
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name).append(": ").append(elementType.text()).append('[');
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i] >= 0 ? Long.toString(shape[i])
                    : dimNames[i].isEmpty() ? "?" : dimNames[i]);
        }
        return s.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec other && name.equals(other.name) && elementType == other.elementType
                && Arrays.equals(shape, other.shape) && Arrays.equals(dimNames, other.dimNames);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
