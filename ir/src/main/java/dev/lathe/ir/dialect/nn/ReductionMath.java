package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shared by the reduction, normalization, softmax and loss ops: how reducing some dimensions
 * groups the elements of a tensor, the shapes that result, and attribute getters with defaults.
 */
final class ReductionMath {

    private ReductionMath() {}

    /**
     * The elements of a static shape grouped by a reduction over {@code reduced} dims:
     * {@code group[i]} is the row-major index, in the kept shape (reduced dims of size 1), of the
     * group that element {@code i} belongs to; {@code members[g]} lists a group's elements in
     * row-major order.
     */
    record Groups(int[] group, int[][] members) {

        static Groups of(long[] shape, boolean[] reduced) {
            long[] kept = shape.clone();
            for (int d = 0; d < shape.length; d++) {
                kept[d] = reduced[d] ? 1 : shape[d];
            }
            long[] toGroup = IndexMath.strides(kept);
            for (int d = 0; d < shape.length; d++) {
                toGroup[d] = reduced[d] ? 0 : toGroup[d];
            }
            int[] group = IndexMath.offsets(shape, toGroup);
            int count = IndexMath.count(kept);
            int[] sizes = new int[count];
            for (int g : group) {
                sizes[g]++;
            }
            int[][] members = new int[count][];
            for (int g = 0; g < count; g++) {
                members[g] = new int[sizes[g]];
                sizes[g] = 0;
            }
            for (int i = 0; i < group.length; i++) {
                members[group[i]][sizes[group[i]]++] = i;
            }
            return new Groups(group, members);
        }

        int count() {
            return members.length;
        }

        /** The values of group {@code g} as doubles, in row-major order. */
        double[] doubles(DenseElementsAttr x, int g) {
            double[] out = new double[members[g].length];
            for (int j = 0; j < out.length; j++) {
                out[j] = x.getDouble(members[g][j]);
            }
            return out;
        }

        /** The values of group {@code g} as longs (unsigned ones zero-extended), in row-major order. */
        long[] longs(DenseElementsAttr x, int g) {
            long[] out = new long[members[g].length];
            for (int j = 0; j < out.length; j++) {
                out[j] = x.getLong(members[g][j]);
            }
            return out;
        }
    }

    /** The mean of a group: summed in double in row-major order from -0.0, divided by the count. */
    static double mean(double[] v) {
        double s = NnTypes.sumStart(v.length);
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The population variance, in two passes: the mean of squared deviations, never E[x^2] - E[x]^2. */
    static double variance(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / v.length;
    }

    /** Dims of {@code rank} named by {@code axis} and every later dim (ONNX's "coerce to 2-D"). */
    static boolean[] trailing(int rank, int axis) {
        boolean[] reduced = new boolean[rank];
        for (int d = axis; d < rank; d++) {
            reduced[d] = true;
        }
        return reduced;
    }

    /** One dim of {@code rank}. */
    static boolean[] single(int rank, int axis) {
        boolean[] reduced = new boolean[rank];
        reduced[axis] = true;
        return reduced;
    }

    /** The shape after reducing: reduced dims become 1 ({@code keepdims}) or are removed. */
    static long[] reducedShape(long[] shape, boolean[] reduced, boolean keepdims) {
        List<Long> out = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (!reduced[d]) {
                out.add(shape[d]);
            } else if (keepdims) {
                out.add(1L);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    static TensorType reducedType(TensorType x, ScalarType elementType, boolean[] reduced, boolean keepdims) {
        return TensorType.of(elementType, reducedShape(x.shapeArray(), reduced, keepdims));
    }

    /** An axis in {@code -rank..rank-1}, normalized to {@code 0..rank-1}, or an error naming the attribute. */
    static int axis(long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw new InvalidOpException(what + " " + axis + " is out of range for rank " + rank + " (expected "
                    + -rank + ".." + (rank - 1) + ")");
        }
        return (int) (axis < 0 ? axis + rank : axis);
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

    static double real(Map<String, Attribute> attributes, String name, double defaultValue) {
        Attribute a = attributes.get(name);
        if (a == null) {
            return defaultValue;
        }
        if (!(a instanceof FloatAttr f)) {
            throw new InvalidOpException("attribute '" + name + "' must be a float, found " + a.text());
        }
        return f.value();
    }

    /** A string attribute that must be one of {@code allowed}. */
    static String choice(Map<String, Attribute> attributes, String name, String defaultValue, String... allowed) {
        Attribute a = attributes.get(name);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof StringAttr s) {
            for (String ok : allowed) {
                if (ok.equals(s.value())) {
                    return ok;
                }
            }
        }
        throw new InvalidOpException("attribute '" + name + "' must be one of " + String.join(", ", allowed)
                + ", found " + a.text());
    }

    /** Float element types only (softmax, normalizations, losses). */
    static void requireFloat(TensorType t, String what) {
        if (!t.elementType().isFloat()) {
            throw new InvalidOpException("expects " + what + " of float elements, found " + t.text());
        }
    }

    /** Dims {@code a} and {@code b} may be equal: both static and different is an error. */
    static boolean compatible(long a, long b) {
        return a == TensorType.DYNAMIC || b == TensorType.DYNAMIC || a == b;
    }
}
