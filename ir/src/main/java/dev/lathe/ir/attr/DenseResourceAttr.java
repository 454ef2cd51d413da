package dev.lathe.ir.attr;

import dev.lathe.ir.type.TensorType;

/**
 * {@code dense_resource<name> : tensor<...>}: elements held in the module's resource table, so
 * large weights are neither printed inline nor copied when the IR is rewritten.
 */
public record DenseResourceAttr(String name, TensorType type) implements Attribute {

    @Override
    public String text() {
        String key = Numbers.isBareIdentifier(name) ? name : StringAttr.quote(name);
        return "dense_resource<" + key + "> : " + type.text();
    }
}
