package dev.lathe.ir.attr;

import dev.lathe.ir.type.Type;

/** A type used as a value, e.g. {@code to = f16} or a function's {@code function_type}. */
public record TypeAttr(Type type) implements Attribute {

    @Override
    public String text() {
        return type.text();
    }
}
