package dev.lathe.runtime;

import java.util.List;

/**
 * One input or output of a model's signature: its name, dtype and shape, {@code -1} for a
 * dimension fixed only by the call (the model is specialized per set of input shapes).
 */
public record TensorInfo(String name, DType dtype, List<Long> shape) {

    public TensorInfo {
        shape = List.copyOf(shape);
    }

    /** {@code i64 [1, ?]}: how messages describe what was expected. */
    public String describe() {
        return dtype.irName() + " " + shape.stream().map(d -> d < 0 ? "?" : Long.toString(d)).toList();
    }
}
