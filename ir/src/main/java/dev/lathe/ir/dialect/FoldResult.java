package dev.lathe.ir.dialect;

import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;

/** What one result of an op folds to: a constant, or a value that already exists. */
public sealed interface FoldResult {

    record Constant(Attribute value) implements FoldResult {}

    record Existing(Value value) implements FoldResult {}

    static FoldResult constant(Attribute value) {
        return new Constant(value);
    }

    static FoldResult existing(Value value) {
        return new Existing(value);
    }
}
