package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import java.util.Arrays;

/**
 * Attribute readers with the reference defaults for the reduction family's lowerings. The op
 * was verified before lowering, so a wrong attribute kind here is a compiler bug, not user error.
 */
final class ReductionAttrs {

    private ReductionAttrs() {}

    static boolean bool(Operation op, String name, boolean defaultValue) {
        Attribute a = op.attributes().get(name);
        return a instanceof BoolAttr b ? b.value() : defaultValue;
    }

    static long integer(Operation op, String name, long defaultValue) {
        Attribute a = op.attributes().get(name);
        return a instanceof IntegerAttr i ? i.value() : defaultValue;
    }

    static double real(Operation op, String name, double defaultValue) {
        Attribute a = op.attributes().get(name);
        return a instanceof FloatAttr f ? f.value() : defaultValue;
    }

    static String string(Operation op, String name, String defaultValue) {
        Attribute a = op.attributes().get(name);
        return a instanceof StringAttr s ? s.value() : defaultValue;
    }

    /** An axis attribute normalized to {@code 0..rank-1}. */
    static int axis(Operation op, String name, long defaultValue, int rank) {
        long axis = integer(op, name, defaultValue);
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** The dims named by an integer array (negatives from the end); null: every dim. */
    static boolean[] mask(long[] axes, int rank) {
        boolean[] reduced = new boolean[rank];
        if (axes == null) {
            Arrays.fill(reduced, true);
            return reduced;
        }
        for (long a : axes) {
            reduced[(int) (a < 0 ? a + rank : a)] = true;
        }
        return reduced;
    }

    /** The dims of an {@code axes} array attribute; absent: every dim. */
    static boolean[] axesMask(Operation op, int rank) {
        Attribute a = op.attributes().get("axes");
        return mask(a instanceof ArrayAttr arr ? arr.asLongs() : null, rank);
    }

    /** {@code axis} and every later dim. */
    static boolean[] trailing(int rank, int axis) {
        boolean[] reduced = new boolean[rank];
        Arrays.fill(reduced, axis, rank, true);
        return reduced;
    }

    static boolean[] single(int rank, int axis) {
        boolean[] reduced = new boolean[rank];
        reduced[axis] = true;
        return reduced;
    }
}
