package dev.lathe.frontend.onnx;

import dev.lathe.frontend.onnx.proto.TensorProto.DataType;
import dev.lathe.frontend.onnx.proto.TensorShapeProto;
import dev.lathe.frontend.onnx.proto.TypeProto;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX element types and value types in Lathe's terms. The mapping is one-to-one on the types
 * Lathe has; every other ONNX type (unsigned 16/32/64-bit, strings, complex, float8, 4-bit) is
 * reported as unsupported by the caller, which knows what tensor or node it belongs to.
 */
public final class OnnxTypes {

    private static final Map<DataType, ScalarType> TO_LATHE = new EnumMap<>(DataType.class);
    private static final Map<ScalarType, DataType> TO_ONNX = new EnumMap<>(ScalarType.class);

    static {
        link(DataType.FLOAT, ScalarType.F32);
        link(DataType.DOUBLE, ScalarType.F64);
        link(DataType.FLOAT16, ScalarType.F16);
        link(DataType.BFLOAT16, ScalarType.BF16);
        link(DataType.INT64, ScalarType.I64);
        link(DataType.INT32, ScalarType.I32);
        link(DataType.INT16, ScalarType.I16);
        link(DataType.INT8, ScalarType.I8);
        link(DataType.UINT8, ScalarType.U8);
        link(DataType.UINT16, ScalarType.U16);
        link(DataType.UINT32, ScalarType.U32);
        link(DataType.UINT64, ScalarType.U64);
        link(DataType.BOOL, ScalarType.I1);
    }

    private OnnxTypes() {}

    private static void link(DataType onnx, ScalarType lathe) {
        TO_LATHE.put(onnx, lathe);
        TO_ONNX.put(lathe, onnx);
    }

    /** The Lathe element type of an ONNX {@code data_type} / {@code elem_type} number, or null. */
    public static ScalarType elementType(int onnxDataType) {
        DataType dt = DataType.forNumber(onnxDataType);
        return dt == null ? null : TO_LATHE.get(dt);
    }

    /** The ONNX data type of a Lathe element type. */
    public static DataType dataType(ScalarType elementType) {
        DataType dt = TO_ONNX.get(elementType);
        if (dt == null) {
            throw new IllegalArgumentException("no ONNX data type for " + elementType.text());
        }
        return dt;
    }

    /** {@code FLOAT}, {@code UINT16}, ... or {@code data type 99} for a number ONNX does not define. */
    public static String dataTypeName(int onnxDataType) {
        DataType dt = DataType.forNumber(onnxDataType);
        return dt == null ? "data type " + onnxDataType : dt.name();
    }

    /** The ONNX names of the supported element types with their Lathe types, for messages. */
    public static String supportedList() {
        List<String> parts = new ArrayList<>();
        TO_LATHE.forEach((onnx, lathe) -> parts.add(onnx.name() + " (" + lathe.text() + ")"));
        return String.join(", ", parts);
    }

    /** The message for an element type Lathe cannot hold; {@code what} names the tensor or value. */
    public static String unsupportedElementType(String what, int onnxDataType) {
        return what + " " + hasUnsupported(onnxDataType);
    }

    private static String hasUnsupported(int onnxDataType) {
        return "has unsupported element type " + dataTypeName(onnxDataType) + "; supported: " + supportedList();
    }

    /**
     * The tensor type of a graph input or output, or an {@link IllegalArgumentException} whose
     * message says why there is none (not a tensor, unknown rank, unsupported element type,
     * negative dimension); the caller prefixes the value's name. Symbolic ({@code dim_param})
     * and missing dimensions become {@code ?}.
     */
    public static TensorType tensorType(TypeProto type) {
        if (type == null || type.getValueCase() == TypeProto.ValueCase.VALUE_NOT_SET) {
            throw new IllegalArgumentException("has no type");
        }
        if (!type.hasTensorType()) {
            throw new IllegalArgumentException("has " + kind(type) + " type; only tensors are supported");
        }
        TypeProto.Tensor t = type.getTensorType();
        ScalarType element = elementType(t.getElemType());
        if (element == null) {
            throw new IllegalArgumentException(t.hasElemType()
                    ? hasUnsupported(t.getElemType())
                    : "has no element type");
        }
        if (!t.hasShape()) {
            throw new IllegalArgumentException("has unknown rank (no shape); Lathe needs the rank of every graph"
                    + " input and output (export with a fixed rank, or set the shape with onnx.tools.update_model_dims)");
        }
        List<Long> shape = new ArrayList<>();
        for (TensorShapeProto.Dimension d : t.getShape().getDimList()) {
            shape.add(dimension(d));
        }
        return TensorType.of(shape, element);
    }

    /**
     * The Lathe type of any ONNX value type: {@link #tensorType} for tensors,
     * {@code !nn.sequence<T>} and {@code !nn.optional<T>} for sequences and optionals. Inside a
     * container a tensor without a shape becomes its bare element type ({@code !nn.sequence<f32>}:
     * tensors of unknown rank). Maps, sparse tensors and opaque types fail like
     * {@link #tensorType}.
     */
    public static Type valueType(TypeProto type) {
        if (type != null && type.hasSequenceType()) {
            return SequenceType.of(elementValueType(type.getSequenceType().getElemType(), "sequence"));
        }
        if (type != null && type.hasOptionalType()) {
            return OptionalType.of(elementValueType(type.getOptionalType().getElemType(), "optional"));
        }
        return tensorType(type);
    }

    private static Type elementValueType(TypeProto elem, String container) {
        if (elem.hasTensorType() && !elem.getTensorType().hasShape()) {
            ScalarType element = elementType(elem.getTensorType().getElemType());
            if (element == null) {
                throw new IllegalArgumentException("is a " + container + " whose elements "
                        + hasUnsupported(elem.getTensorType().getElemType()));
            }
            return element;
        }
        try {
            return valueType(elem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is a " + container + " whose elements " + e.getMessage());
        }
    }

    private static long dimension(TensorShapeProto.Dimension d) {
        if (d.getValueCase() != TensorShapeProto.Dimension.ValueCase.DIM_VALUE) {
            return TensorType.DYNAMIC; // dim_param or nothing: a size unknown until run time
        }
        long v = d.getDimValue();
        if (v == -1) {
            return TensorType.DYNAMIC; // some older exporters write -1 for "unknown"
        }
        if (v < 0) {
            throw new IllegalArgumentException("has dimension " + v + "; sizes must be >= 0");
        }
        return v;
    }

    private static String kind(TypeProto type) {
        return switch (type.getValueCase()) {
            case TENSOR_TYPE -> "tensor";
            case SEQUENCE_TYPE -> "sequence";
            case MAP_TYPE -> "map";
            case OPTIONAL_TYPE -> "optional";
            case SPARSE_TENSOR_TYPE -> "sparse tensor";
            case OPAQUE_TYPE -> "opaque";
            case VALUE_NOT_SET -> "no";
        };
    }
}
