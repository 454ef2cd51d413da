package dev.lathe.passes.recognize;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.ConstantOp;
import dev.lathe.ir.type.TensorType;

/** Small matchers shared by the recognition patterns: defining ops, single uses and scalar constants. */
final class GraphMatch {

    /** Constants must match their expected value within this relative tolerance. */
    static final double RELATIVE_TOLERANCE = 1e-6;

    private GraphMatch() {}

    /** The op named {@code name} defining {@code v}, or null. */
    static Operation producer(Value v, String name) {
        return v instanceof OpResult r && r.owner().isA(name) ? r.owner() : null;
    }

    /** The op named {@code name} defining {@code v} whose result is used by exactly one operand, or null. */
    static Operation soleProducer(Value v, String name) {
        Operation op = producer(v, name);
        return op != null && v.uses().size() == 1 ? op : null;
    }

    /**
     * The value of {@code v} when it is an inline {@code nn.constant} holding exactly one element,
     * or null (weights in {@code dense_resource} are never scalars worth matching).
     */
    static Double scalarConstant(Value v) {
        Operation c = producer(v, ConstantOp.NAME);
        if (c == null || !(c.attr("value") instanceof DenseElementsAttr dense) || dense.numElements() != 1) {
            return null;
        }
        return dense.getDouble(0);
    }

    /** Whether {@code v} is a one-element constant within {@link #RELATIVE_TOLERANCE} of {@code expected}. */
    static boolean isConstant(Value v, double expected) {
        Double actual = scalarConstant(v);
        return actual != null && Math.abs(actual - expected) <= RELATIVE_TOLERANCE * Math.abs(expected);
    }

    /** The operand of the binary {@code op} other than {@code one}, or null when neither operand is {@code one}. */
    static Value other(Operation op, Value one) {
        if (op.operand(0) == one) {
            return op.operand(1);
        }
        return op.operand(1) == one ? op.operand(0) : null;
    }

    /**
     * The operand of the binary {@code op} that is not a constant equal to {@code expected}, or
     * null when neither operand is such a constant.
     */
    static Value besideConstant(Operation op, double expected) {
        if (isConstant(op.operand(1), expected)) {
            return op.operand(0);
        }
        return isConstant(op.operand(0), expected) ? op.operand(1) : null;
    }

    /**
     * The first of the trailing dims a static, keepdims {@code nn.reduce_mean} reduces when they
     * are exactly {@code axis..rank-1} for some axis, or null.
     */
    static Integer trailingAxis(Operation mean, int rank) {
        if (mean.numOperands() != 1 || mean.attr("keepdims") instanceof BoolAttr b && !b.value()
                || !(mean.attr("axes") instanceof ArrayAttr axesAttr) || axesAttr.asLongs() == null) {
            return null;
        }
        boolean[] reduced = new boolean[rank];
        for (long a : axesAttr.asLongs()) {
            int axis = (int) (a < 0 ? a + rank : a);
            if (axis < 0 || axis >= rank || reduced[axis]) {
                return null;
            }
            reduced[axis] = true;
        }
        int first = rank - axesAttr.asLongs().length;
        for (int i = 0; i < rank; i++) {
            if (reduced[i] != (i >= first)) {
                return null;
            }
        }
        return first < rank ? first : null;
    }

    /** The sole user of {@code op}'s result when it is a binary {@code name} keeping the type, or null. */
    static Operation affineUser(Operation op, String name) {
        if (op.result().uses().size() != 1) {
            return null;
        }
        Operation user = op.result().uses().getFirst().owner();
        Value param = user.isA(name) ? other(user, op.result()) : null;
        if (param == null || param == op.result() || user.result().type() != op.result().type()
                || !(param.type() instanceof TensorType p) || p.rank() > ((TensorType) op.result().type()).rank()) {
            return null;
        }
        return user;
    }

    /**
     * The dims a static, keepdims reduction reduces, ascending and non-negative, when they are
     * given (an {@code axes} attribute, non-empty, no duplicates), or null.
     */
    static long[] keptAxes(Operation reduce, int rank) {
        if (reduce.numOperands() != 1 || reduce.attr("keepdims") instanceof BoolAttr b && !b.value()
                || !(reduce.attr("axes") instanceof ArrayAttr axesAttr) || axesAttr.asLongs() == null
                || axesAttr.asLongs().length == 0) {
            return null;
        }
        boolean[] reduced = new boolean[rank];
        for (long a : axesAttr.asLongs()) {
            int axis = (int) (a < 0 ? a + rank : a);
            if (axis < 0 || axis >= rank || reduced[axis]) {
                return null;
            }
            reduced[axis] = true;
        }
        return java.util.stream.IntStream.range(0, rank).filter(i -> reduced[i]).asLongStream().toArray();
    }
}
