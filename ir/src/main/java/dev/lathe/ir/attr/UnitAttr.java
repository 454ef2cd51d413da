package dev.lathe.ir.attr;

/** A present-or-absent flag: {@code {inplace}} in an attribute dictionary. */
public record UnitAttr() implements Attribute {

    public static final UnitAttr INSTANCE = new UnitAttr();

    @Override
    public String text() {
        return "unit";
    }
}
