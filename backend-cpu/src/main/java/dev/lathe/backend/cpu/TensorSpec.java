package dev.lathe.backend.cpu;

import dev.lathe.ir.type.ScalarType;
import java.util.List;

/** One input or output of a compiled model: its graph name, element type and static shape. */
public record TensorSpec(String name, ScalarType elementType, List<Long> shape) {

    public TensorSpec {
        shape = List.copyOf(shape);
    }

    public long numElements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes of the dense row-major buffer (i1 takes a byte per element). */
    public long byteSize() {
        return Math.multiplyExact(numElements(), elementType.byteSize());
    }

    /** {@code name: f32[1, 784]}. */
    @Override
    public String toString() {
        return name + ": " + elementType.text() + shape;
    }
}
