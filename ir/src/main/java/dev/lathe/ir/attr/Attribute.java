package dev.lathe.ir.attr;

/**
 * A compile-time constant attached to an operation. Attributes are immutable values compared
 * with {@code equals}; small ones are records, {@link DenseElementsAttr} is a final class
 * because it owns element data.
 */
public sealed interface Attribute
        permits IntegerAttr, FloatAttr, BoolAttr, StringAttr, UnitAttr, ArrayAttr, TypeAttr,
                SymbolRefAttr, DenseElementsAttr, DenseResourceAttr {

    /** The text form, exactly as the printer writes and the parser reads it. */
    String text();
}
