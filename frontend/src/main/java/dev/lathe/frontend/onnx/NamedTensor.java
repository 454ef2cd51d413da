package dev.lathe.frontend.onnx;

import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.Objects;

/** A tensor value with the name it carries in its file (a TensorProto's {@code name}; may be empty). */
public record NamedTensor(String name, DenseElementsAttr value) {

    public NamedTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
