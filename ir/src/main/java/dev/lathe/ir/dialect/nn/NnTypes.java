package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Operand, attribute and value helpers shared by the nn op definitions. */
final class NnTypes {

    private NnTypes() {}

    /** Operand {@code i} as a tensor type, or an error saying what it is instead. */
    static TensorType tensor(List<Type> operandTypes, int i) {
        if (i >= operandTypes.size()) {
            throw new InvalidOpException("expects operand #" + i + ", found " + operandTypes.size() + " operands");
        }
        if (!(operandTypes.get(i) instanceof TensorType t)) {
            throw new InvalidOpException("operand #" + i + " must be a tensor, found " + operandTypes.get(i).text());
        }
        return t;
    }

    static void requireSameElementType(TensorType a, TensorType b) {
        if (a.elementType() != b.elementType()) {
            throw new InvalidOpException("expects operands of one element type, found " + a.elementType().text()
                    + " and " + b.elementType().text() + " (" + a.text() + " and " + b.text() + ")");
        }
    }

    /** Arithmetic needs numbers: every float and integer type but i1. */
    static void requireArithmetic(TensorType t) {
        if (t.elementType() == ScalarType.I1) {
            throw new InvalidOpException("expects float or integer elements, found i1 in " + t.text()
                    + " (booleans have no arithmetic)");
        }
    }

    /** An optional integer-array attribute, or null when absent. */
    static long[] longs(Map<String, Attribute> attributes, String name) {
        Attribute a = attributes.get(name);
        if (a == null) {
            return null;
        }
        long[] values = a instanceof ArrayAttr array ? array.asLongs() : null;
        if (values == null) {
            throw new InvalidOpException("attribute '" + name + "' must be an array of integers, found " + a.text());
        }
        return values;
    }

    static boolean bool(Map<String, Attribute> attributes, String name, boolean defaultValue) {
        Attribute a = attributes.get(name);
        if (a == null) {
            return defaultValue;
        }
        if (!(a instanceof BoolAttr b)) {
            throw new InvalidOpException("attribute '" + name + "' must be true or false, found " + a.text());
        }
        return b.value();
    }

    static String text(long[] values) {
        return Arrays.toString(values);
    }

    static TensorType type(ScalarType elementType, long[] shape) {
        return TensorType.of(elementType, shape);
    }

    /** Float results computed in double, rounded to the element type by the attribute. */
    static DenseElementsAttr floats(ScalarType elementType, long[] shape, double[] values) {
        return DenseElementsAttr.fromDoubles(type(elementType, shape), values);
    }

    /** Integer results computed in 64 bits, wrapped to the element width by the attribute. */
    static DenseElementsAttr integers(ScalarType elementType, long[] shape, long[] values) {
        return DenseElementsAttr.fromLongs(type(elementType, shape), values);
    }

    /** The elements of {@code source} at {@code indices}, in that order, as a tensor of {@code shape}. */
    static DenseElementsAttr gather(DenseElementsAttr source, long[] shape, int[] indices) {
        int size = source.elementType().byteSize();
        byte[] in = source.toBytes();
        byte[] out = new byte[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(in, indices[i] * size, out, i * size, size);
        }
        return DenseElementsAttr.fromBytes(type(source.elementType(), shape), out);
    }

    /** The start of a float sum: -0.0 is the exact identity of +, an empty sum is +0.0 (as in numpy). */
    static double sumStart(long terms) {
        return terms == 0 ? 0.0 : -0.0;
    }
}
