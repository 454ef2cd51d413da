package dev.lathe.ir.attr;

/** {@code @name}: a reference to a symbol such as a function. */
public record SymbolRefAttr(String name) implements Attribute {

    @Override
    public String text() {
        return "@" + (Numbers.isBareIdentifier(name) ? name : StringAttr.quote(name));
    }
}
