package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.passes.lower.KernelContext;

/**
 * Attributes and constant operands of the data-movement ops, read as the op definitions read
 * them (the verifier has already checked them, so only defaults and normalization happen here).
 */
final class ShapeAttrs {

    private ShapeAttrs() {}

    static long integer(Operation op, String name, long defaultValue) {
        return op.attr(name) instanceof IntegerAttr i ? i.value() : defaultValue;
    }

    static boolean bool(Operation op, String name, boolean defaultValue) {
        return op.attr(name) instanceof BoolAttr b ? b.value() : defaultValue;
    }

    static String string(Operation op, String name, String defaultValue) {
        return op.attr(name) instanceof StringAttr s ? s.value() : defaultValue;
    }

    /** An integer-array attribute, or null. */
    static long[] longs(Operation op, String name) {
        Attribute a = op.attr(name);
        return a instanceof ArrayAttr arr ? arr.asLongs() : null;
    }

    /** The attribute {@code name}, else constant operand {@code operand} when present, else null. */
    static long[] longsOrOperand(KernelContext cx, String name, int operand) {
        long[] a = longs(cx.op(), name);
        if (a != null) {
            return a;
        }
        return cx.hasOperand(operand) ? cx.constant(operand).toLongs() : null;
    }

    /** {@code axis} in {@code -rank..rank-1} made non-negative. */
    static int axis(long axis, int rank) {
        return (int) (axis < 0 ? axis + rank : axis);
    }
}
