package dev.lathe.ir.attr;

import dev.lathe.ir.type.ScalarType;

/** {@code 3} (an i64) or {@code 3 : i32}. */
public record IntegerAttr(long value, ScalarType type) implements Attribute {

    public IntegerAttr {
        if (!type.isInteger() || type == ScalarType.I1) {
            throw new IllegalArgumentException("integer attribute needs an integer type, got " + type);
        }
        if (!Numbers.fitsInteger(value, type)) {
            throw new IllegalArgumentException(value + " does not fit in " + type);
        }
    }

    public static IntegerAttr of(long value) {
        return new IntegerAttr(value, ScalarType.I64);
    }

    @Override
    public String text() {
        return type == ScalarType.I64 ? Long.toString(value) : value + " : " + type.text();
    }
}
