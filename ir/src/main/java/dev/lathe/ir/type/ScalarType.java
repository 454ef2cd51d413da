package dev.lathe.ir.type;

import java.util.Optional;

/** Element and scalar types. An enum, so interned by construction. */
public enum ScalarType implements Type {
    F64("f64", 8, Kind.FLOAT),
    F32("f32", 4, Kind.FLOAT),
    F16("f16", 2, Kind.FLOAT),
    BF16("bf16", 2, Kind.FLOAT),
    I64("i64", 8, Kind.SIGNED),
    I32("i32", 4, Kind.SIGNED),
    I16("i16", 2, Kind.SIGNED),
    I8("i8", 1, Kind.SIGNED),
    U64("u64", 8, Kind.UNSIGNED),
    U32("u32", 4, Kind.UNSIGNED),
    U16("u16", 2, Kind.UNSIGNED),
    U8("u8", 1, Kind.UNSIGNED),
    I1("i1", 1, Kind.BOOL),
    /** Loop indices and sizes in lowered code; never a tensor element. */
    INDEX("index", 8, Kind.SIGNED);

    /** How the bits of a value are read. */
    public enum Kind { FLOAT, SIGNED, UNSIGNED, BOOL }

    private final String text;
    private final int byteSize;
    private final Kind kind;

    ScalarType(String text, int byteSize, Kind kind) {
        this.text = text;
        this.byteSize = byteSize;
        this.kind = kind;
    }

    @Override
    public String text() {
        return text;
    }

    /** Bytes one element takes in a dense buffer (i1 takes a whole byte). */
    public int byteSize() {
        return byteSize;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isFloat() {
        return kind == Kind.FLOAT;
    }

    /** Integer-like: signed, unsigned, bool or index. */
    public boolean isInteger() {
        return kind != Kind.FLOAT;
    }

    public boolean isUnsigned() {
        return kind == Kind.UNSIGNED;
    }

    public static Optional<ScalarType> fromText(String text) {
        for (ScalarType t : values()) {
            if (t.text.equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }
}
