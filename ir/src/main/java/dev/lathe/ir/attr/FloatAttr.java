package dev.lathe.ir.attr;

import dev.lathe.ir.type.ScalarType;

/**
 * {@code 0.5} (an f64) or {@code 1.0e-05 : f32}. The value is held rounded to its type's
 * precision, so an f32 attribute equals the float it denotes.
 */
public record FloatAttr(double value, ScalarType type) implements Attribute {

    public FloatAttr {
        if (!type.isFloat()) {
            throw new IllegalArgumentException("float attribute needs a float type, got " + type);
        }
        value = Numbers.roundTo(value, type);
    }

    public static FloatAttr of(double value) {
        return new FloatAttr(value, ScalarType.F64);
    }

    @Override
    public boolean equals(Object o) {
        // Bitwise, so NaN equals itself and 0.0 differs from -0.0: a folder must not merge them.
        return o instanceof FloatAttr f && f.type == type
                && Double.doubleToRawLongBits(f.value) == Double.doubleToRawLongBits(value);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(Double.doubleToRawLongBits(value)) * 31 + type.hashCode();
    }

    @Override
    public String text() {
        String v = Numbers.formatFloat(value, type);
        // NaN and infinities print as a hex bit pattern, which alone would read back as an integer.
        return type == ScalarType.F64 && Double.isFinite(value) ? v : v + " : " + type.text();
    }
}
