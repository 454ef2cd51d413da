package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.ValueTypes;
import java.util.List;
import java.util.Map;

/**
 * Shared pieces of the sequence and optional ops ({@link SequenceOps}): operand type checks,
 * ONNX's position rule, and dtype-independent concatenation and slicing of tensors along an
 * axis (by element bytes, so every element type is exact).
 */
final class SequenceSupport {

    private SequenceSupport() {}

    static SequenceType sequence(Type t, String what) {
        if (t instanceof SequenceType s) {
            return s;
        }
        throw new InvalidOpException("expects " + what + " to be a sequence, found " + t.text());
    }

    static OptionalType optional(Type t, String what) {
        if (t instanceof OptionalType o) {
            return o;
        }
        throw new InvalidOpException("expects " + what + " to be an optional, found " + t.text());
    }

    static TensorType tensor(Type t, String what) {
        if (t instanceof TensorType tt) {
            return tt;
        }
        throw new InvalidOpException("expects " + what + " to be a tensor, found " + t.text());
    }

    /** A ranked tensor element: needed where the result is a tensor built from the elements. */
    static TensorType rankedElement(SequenceType s, String what) {
        if (s.element() instanceof TensorType t) {
            return t;
        }
        throw new InvalidOpException("expects " + what + " to hold tensors of known rank, found " + s.text());
    }

    /** The join of two element types; an error saying both when there is none. */
    static Type join(Type a, Type b, String what) {
        Type j = ValueTypes.joinElements(a, b);
        if (j == null) {
            throw new InvalidOpException("expects " + what + " to have one element type, found " + a.text() + " and "
                    + b.text());
        }
        return j;
    }

    /** A scalar-like i64 position operand (one element). */
    static void requirePositionType(Type t, String what) {
        TensorType p = tensor(t, what);
        if (p.elementType() != ScalarType.I64 && p.elementType() != ScalarType.I32) {
            throw new InvalidOpException("expects " + what + " to be i64 or i32, found " + p.text());
        }
        if (p.rank() > 1 || (p.rank() == 1 && p.dim(0) != 1 && p.dim(0) != TensorType.DYNAMIC)) {
            throw new InvalidOpException("expects " + what + " to hold one element, found " + p.text());
        }
    }

    /**
     * ONNX's position rule: {@code -n <= pos < n} (or {@code <= n} when inserting), negative
     * counting from the back; anything else is an error at run time.
     */
    static int position(DenseElementsAttr position, int length, boolean inserting) {
        if (position.numElements() != 1) {
            throw new IllegalArgumentException("the position must hold one element, found " + position.type().text());
        }
        long p = position.getLong(0);
        long max = inserting ? length : length - 1;
        if (p < -length || p > max) {
            throw new IllegalArgumentException("position " + p + " is out of range [" + (-length) + ", " + max
                    + "] for a sequence of " + length);
        }
        return (int) (p < 0 ? p + length : p);
    }

    static int axis(Map<String, Attribute> attributes, int rank) {
        long a = attributes.get("axis") instanceof IntegerAttr i ? i.value() : 0;
        if (a < -rank || a >= rank) {
            throw new InvalidOpException("expects axis in [" + (-rank) + ", " + (rank - 1) + "], found " + a);
        }
        return (int) (a < 0 ? a + rank : a);
    }

    /** Concatenates tensors of one element type and rank along {@code axis}; the other dims must agree. */
    static DenseElementsAttr concat(List<DenseElementsAttr> parts, int axis) {
        DenseElementsAttr first = parts.get(0);
        long[] shape = first.type().shapeArray();
        long total = 0;
        for (DenseElementsAttr p : parts) {
            long[] s = p.type().shapeArray();
            if (p.elementType() != first.elementType() || s.length != shape.length) {
                throw new IllegalArgumentException("cannot concatenate " + p.type().text() + " with " + first.type().text());
            }
            for (int d = 0; d < s.length; d++) {
                if (d != axis && s[d] != shape[d]) {
                    throw new IllegalArgumentException("cannot concatenate " + p.type().text() + " with "
                            + first.type().text() + " along axis " + axis + ": dim " + d + " differs");
                }
            }
            total += s[axis];
        }
        long outer = product(shape, 0, axis);
        long inner = product(shape, axis + 1, shape.length) * first.elementType().byteSize();
        shape[axis] = total;
        byte[] out = new byte[Math.toIntExact(product(shape, 0, shape.length) * first.elementType().byteSize())];
        int pos = 0;
        for (long o = 0; o < outer; o++) {
            for (DenseElementsAttr p : parts) {
                int chunk = (int) (p.type().dim(axis) * inner);
                System.arraycopy(p.toBytes(), (int) (o * chunk), out, pos, chunk);
                pos += chunk;
            }
        }
        return DenseElementsAttr.fromBytes(TensorType.of(first.elementType(), shape), out);
    }

    /** Elements {@code [start, start + size)} of {@code x} along {@code axis}. */
    static DenseElementsAttr slice(DenseElementsAttr x, int axis, long start, long size) {
        long[] shape = x.type().shapeArray();
        long outer = product(shape, 0, axis);
        long inner = product(shape, axis + 1, shape.length) * x.elementType().byteSize();
        byte[] in = x.toBytes();
        byte[] out = new byte[Math.toIntExact(outer * size * inner)];
        for (long o = 0; o < outer; o++) {
            System.arraycopy(in, (int) ((o * shape[axis] + start) * inner), out, (int) (o * size * inner),
                    (int) (size * inner));
        }
        shape[axis] = size;
        return DenseElementsAttr.fromBytes(TensorType.of(x.elementType(), shape), out);
    }

    static long product(long[] shape, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }

    static RuntimeValue.SequenceValue sequenceValue(RuntimeValue v, String what) {
        if (v instanceof RuntimeValue.SequenceValue s) {
            return s;
        }
        throw new IllegalArgumentException(what + " must be a sequence, found " + v.describe());
    }
}
