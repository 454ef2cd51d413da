package dev.lathe.runtime;

import dev.lathe.ir.type.ScalarType;
import java.util.Arrays;

/**
 * Element types of a {@link Tensor}. {@link #jsonName()} is the NumPy/ONNX spelling used by
 * {@code lathe serve} ({@code float32}), {@link #irName()} the IR's ({@code f32}); messages use the
 * IR's, as the model's IR does.
 */
public enum DType {
    FLOAT64("float64", ScalarType.F64),
    FLOAT32("float32", ScalarType.F32),
    FLOAT16("float16", ScalarType.F16),
    BFLOAT16("bfloat16", ScalarType.BF16),
    INT64("int64", ScalarType.I64),
    INT32("int32", ScalarType.I32),
    INT16("int16", ScalarType.I16),
    INT8("int8", ScalarType.I8),
    UINT64("uint64", ScalarType.U64),
    UINT32("uint32", ScalarType.U32),
    UINT16("uint16", ScalarType.U16),
    UINT8("uint8", ScalarType.U8),
    BOOL("bool", ScalarType.I1);

    private final String jsonName;
    private final ScalarType scalar;

    DType(String jsonName, ScalarType scalar) {
        this.jsonName = jsonName;
        this.scalar = scalar;
    }

    public String jsonName() {
        return jsonName;
    }

    public String irName() {
        return scalar.text();
    }

    /** Bytes per element (a bool takes a byte). */
    public int byteSize() {
        return scalar.byteSize();
    }

    public boolean isFloat() {
        return scalar.isFloat();
    }

    ScalarType scalar() {
        return scalar;
    }

    static DType of(ScalarType t) {
        for (DType d : values()) {
            if (d.scalar == t) {
                return d;
            }
        }
        throw new IllegalArgumentException("no tensor dtype for " + t.text());
    }

    /** By either spelling: {@code float32} or {@code f32}. */
    public static DType fromName(String name) {
        for (DType d : values()) {
            if (d.jsonName.equals(name) || d.irName().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; known: "
                + Arrays.stream(values()).map(DType::jsonName).toList());
    }
}
