package dev.lathe.frontend.onnx;

import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.Map;
import java.util.Objects;

/**
 * How to import a model.
 *
 * @param registry the converters to use ({@link OnnxOpRegistry#builtin()} by default)
 * @param inputValues values of graph inputs that may be <em>frozen</em>: when a converter needs
 *     such an input's value at import time (a Reshape target or ReduceSum axes fed as a graph
 *     input, as ONNX's own tests do), the input becomes that constant and leaves the function's
 *     signature (listed in its {@code onnx.frozen_inputs} attribute); inputs no converter needs
 *     stay arguments. The imported module is then valid only for those values.
 */
public record ImportOptions(OnnxOpRegistry registry, Map<String, DenseElementsAttr> inputValues) {

    public ImportOptions {
        Objects.requireNonNull(registry, "registry");
        inputValues = Map.copyOf(inputValues);
    }

    /** The built-in converters, no frozen inputs. */
    public static ImportOptions defaults() {
        return new ImportOptions(OnnxOpRegistry.builtin(), Map.of());
    }

    public ImportOptions withRegistry(OnnxOpRegistry newRegistry) {
        return new ImportOptions(newRegistry, inputValues);
    }

    public ImportOptions withInputValues(Map<String, DenseElementsAttr> values) {
        return new ImportOptions(registry, values);
    }
}
