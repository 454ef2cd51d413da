package dev.lathe.frontend.onnx;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.TensorType;

/**
 * A decoded tensor: its static type and every element as little-endian bytes (i1 as one byte,
 * 0 or 1). Large weights travel as this until they become a resource blob, so their bytes are
 * copied as few times as possible.
 */
record RawTensor(TensorType type, byte[] data) {

    DenseElementsAttr toAttr() {
        return DenseElementsAttr.fromBytes(type, data);
    }
}
