package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.ScalarType.Kind;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The element-type classes the elementwise ops accept ({@link #FLOATS}, {@link #NUMERIC}, ...),
 * their checks and messages, and the n-ary broadcasting shared by their reference kernels.
 */
final class ElementKinds {

    static final Set<Kind> FLOATS = EnumSet.of(Kind.FLOAT);
    /** Floats and signed integers (ONNX {@code Neg}). */
    static final Set<Kind> SIGNED = EnumSet.of(Kind.FLOAT, Kind.SIGNED);
    /** Every float and integer type but i1. */
    static final Set<Kind> NUMERIC = EnumSet.of(Kind.FLOAT, Kind.SIGNED, Kind.UNSIGNED);
    static final Set<Kind> UNSIGNED = EnumSet.of(Kind.UNSIGNED);
    static final Set<Kind> BOOL = EnumSet.of(Kind.BOOL);
    static final Set<Kind> ANY = EnumSet.allOf(Kind.class);

    private ElementKinds() {}

    /** {@code "float"}, {@code "float or integer (not i1)"}, ...: what {@code kinds} admits, for messages. */
    static String describe(Set<Kind> kinds) {
        if (kinds.equals(FLOATS)) {
            return "float";
        } else if (kinds.equals(SIGNED)) {
            return "float or signed integer";
        } else if (kinds.equals(NUMERIC)) {
            return "float or integer (not i1)";
        } else if (kinds.equals(UNSIGNED)) {
            return "unsigned integer";
        } else if (kinds.equals(BOOL)) {
            return "i1";
        }
        return "tensor";
    }

    /** Checks that {@code t}'s element type is of one of {@code kinds} (index is never an element). */
    static void require(TensorType t, Set<Kind> kinds, String operand) {
        ScalarType et = t.elementType();
        if (et == ScalarType.INDEX || !kinds.contains(et.kind())) {
            throw new InvalidOpException("expects " + describe(kinds) + " elements" + (operand.isEmpty() ? "" : " in "
                    + operand) + ", found " + et.text() + " in " + t.text());
        }
    }

    /** Every operand type as a tensor, of one element type with the first. */
    static List<TensorType> sameElementType(List<Type> operandTypes, int from, int to) {
        List<TensorType> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            TensorType t = NnTypes.tensor(operandTypes, i);
            if (!out.isEmpty()) {
                NnTypes.requireSameElementType(out.get(0), t);
            }
            out.add(t);
        }
        return out;
    }

    /** The numpy broadcast of every type's shape, with {@code elementType}. */
    static TensorType broadcast(List<TensorType> types, ScalarType elementType) {
        TensorType acc = types.get(0);
        for (int i = 1; i < types.size(); i++) {
            acc = Broadcast.resultType(acc, types.get(i));
        }
        return TensorType.of(elementType, acc.shapeArray());
    }

    /** The static broadcast shape of concrete values (at run time every dim is known). */
    static long[] shape(List<DenseElementsAttr> values) {
        long[] shape = values.get(0).type().shapeArray();
        for (int i = 1; i < values.size(); i++) {
            long[] next = Broadcast.shape(shape, values.get(i).type().shapeArray());
            if (next == null) {
                throw new IllegalArgumentException("operands of shapes " + values.get(0).type().text() + " and "
                        + values.get(i).type().text() + " do not broadcast");
            }
            shape = next;
        }
        return shape;
    }

    /** For each value, the flat index it reads at each element of {@code shape}. */
    static int[][] maps(List<DenseElementsAttr> values, long[] shape) {
        int[][] maps = new int[values.size()][];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = Broadcast.map(values.get(i).type().shapeArray(), shape);
        }
        return maps;
    }

    /** Signed or unsigned comparison of integer elements as {@link DenseElementsAttr#getLong} reads them. */
    static int compareIntegers(long a, long b, ScalarType et) {
        return et.isUnsigned() ? Long.compareUnsigned(a, b) : Long.compare(a, b);
    }

    /** A float attribute (any float type, or an integer), or {@code defaultValue} when absent. */
    static double floatAttr(Map<String, Attribute> attributes, String name, double defaultValue) {
        Attribute a = attributes.get(name);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof FloatAttr f) {
            return f.value();
        }
        if (a instanceof IntegerAttr i) {
            return i.value();
        }
        throw new InvalidOpException("attribute '" + name + "' must be a float, found " + a.text());
    }
}
