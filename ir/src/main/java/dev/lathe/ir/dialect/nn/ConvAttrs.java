package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attribute and operand readers shared by the convolution, pooling, resampling and quantization
 * ops (strings as enums, floats, integers, float arrays), with messages that say what was
 * expected and what was found.
 */
final class ConvAttrs {

    private ConvAttrs() {}

    /** An enum attribute (a string among {@code allowed}), or {@code defaultValue} when absent. */
    static String choice(Map<String, Attribute> attributes, String name, String defaultValue, Set<String> allowed) {
        Attribute a = attributes.get(name);
        if (a == null) {
            return defaultValue;
        }
        if (!(a instanceof StringAttr s) || !allowed.contains(s.value())) {
            throw new InvalidOpException("attribute '" + name + "' must be one of " + allowed.stream().sorted().toList()
                    + ", found " + a.text());
        }
        return s.value();
    }

    static double real(Map<String, Attribute> attributes, String name, double defaultValue) {
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

    static long integer(Map<String, Attribute> attributes, String name, long defaultValue) {
        Attribute a = attributes.get(name);
        if (a == null) {
            return defaultValue;
        }
        if (!(a instanceof IntegerAttr i)) {
            throw new InvalidOpException("attribute '" + name + "' must be an integer, found " + a.text());
        }
        return i.value();
    }

    /** An array of floats (or integers), or null when absent. */
    static double[] reals(Map<String, Attribute> attributes, String name) {
        Attribute a = attributes.get(name);
        if (a == null) {
            return null;
        }
        if (!(a instanceof ArrayAttr array)) {
            throw new InvalidOpException("attribute '" + name + "' must be an array of floats, found " + a.text());
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            Attribute e = array.elements().get(i);
            if (e instanceof FloatAttr f) {
                out[i] = f.value();
            } else if (e instanceof IntegerAttr n) {
                out[i] = n.value();
            } else {
                throw new InvalidOpException("attribute '" + name + "' must be an array of floats, found " + a.text());
            }
        }
        return out;
    }

    /** An array attribute of f32 floats, as the importer writes ONNX float lists. */
    static ArrayAttr f32s(double... values) {
        Attribute[] out = new Attribute[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = new FloatAttr(values[i], ScalarType.F32);
        }
        return new ArrayAttr(List.of(out));
    }

    /** An integer list of {@code length} entries, {@code fill} when absent, checked for length. */
    static long[] perDim(Map<String, Attribute> attributes, String name, int length, long fill) {
        long[] v = NnTypes.longs(attributes, name);
        if (v == null) {
            v = new long[length];
            java.util.Arrays.fill(v, fill);
        }
        if (v.length != length) {
            throw new InvalidOpException("attribute '" + name + "' must have " + length + " entries, found "
                    + NnTypes.text(v));
        }
        return v;
    }

    static void requireFloat(TensorType t, String role) {
        if (!t.elementType().isFloat()) {
            throw new InvalidOpException("expects " + role + " of a float type, found " + t.text());
        }
    }

    static void requireRank(TensorType t, int rank, String role) {
        if (t.rank() != rank) {
            throw new InvalidOpException("expects " + role + " of rank " + rank + ", found " + t.text());
        }
    }

    static void requireMinRank(TensorType t, int rank, String role) {
        if (t.rank() < rank) {
            throw new InvalidOpException("expects " + role + " of rank " + rank + " or more, found " + t.text());
        }
    }

    /** Whether {@code a} and {@code b} are known to differ (neither dynamic). */
    static boolean differ(long a, long b) {
        return a != TensorType.DYNAMIC && b != TensorType.DYNAMIC && a != b;
    }
}
