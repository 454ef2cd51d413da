package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Helpers of the shape and data-movement ops ({@code nn.slice}, {@code nn.gather}, {@code nn.pad},
 * ...): axis normalization, scalar attributes, the i64 operands of their dynamic forms, and
 * element copies that work on raw bytes, so one kernel serves every element type.
 */
final class ShapeSupport {

    private ShapeSupport() {}

    /** {@code axis} in {@code -rank..rank-1}, made non-negative; {@code what} names it in the error. */
    static int axis(long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw new InvalidOpException(what + " " + axis + " is out of range for rank " + rank + "; expected "
                    + -rank + ".." + (rank - 1));
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** An optional integer attribute, or {@code defaultValue}. */
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

    /** An optional string attribute that must be one of {@code allowed} (the first is the default). */
    static String choice(Map<String, Attribute> attributes, String name, String... allowed) {
        Attribute a = attributes.get(name);
        if (a == null) {
            return allowed[0];
        }
        if (!(a instanceof StringAttr s) || !Arrays.asList(allowed).contains(s.value())) {
            throw new InvalidOpException("attribute '" + name + "' must be one of " + Arrays.toString(allowed)
                    + ", found " + a.text());
        }
        return s.value();
    }

    /** Operand {@code i} of a dynamic form: an integer tensor of rank {@code rank} (0 or 1). */
    static TensorType integerOperand(List<Type> operandTypes, int i, int rank, String what) {
        TensorType t = NnTypes.tensor(operandTypes, i);
        if (!t.elementType().isInteger() || t.elementType() == ScalarType.I1 || t.rank() != rank) {
            throw new InvalidOpException("expects " + what + " (operand #" + i + ") to be a "
                    + (rank == 0 ? "scalar" : rank + "-D tensor") + " of integers, found " + t.text());
        }
        return t;
    }

    /** A tensor of {@code rank} dims, all dynamic. */
    static TensorType dynamic(ScalarType elementType, int rank) {
        long[] shape = new long[rank];
        Arrays.fill(shape, TensorType.DYNAMIC);
        return TensorType.of(elementType, shape);
    }

    /** Static shape helper: whether {@code d} is a known size. */
    static boolean known(long d) {
        return d != TensorType.DYNAMIC;
    }

    /** {@code a * b} on sizes where {@code ?} (-1) stays {@code ?}. */
    static long mulDims(long a, long b) {
        return known(a) && known(b) ? Math.multiplyExact(a, b) : TensorType.DYNAMIC;
    }

    /**
     * The elements of {@code source} at {@code indices} as a tensor of {@code shape}; an index of
     * {@code -1} takes {@code fill} instead (a 1-element tensor of the same element type).
     */
    static DenseElementsAttr gatherOrFill(DenseElementsAttr source, long[] shape, int[] indices, DenseElementsAttr fill) {
        int size = source.elementType().byteSize();
        byte[] in = source.toBytes();
        byte[] pad = fill == null ? new byte[size] : Arrays.copyOf(fill.toBytes(), size);
        byte[] out = new byte[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0) {
                System.arraycopy(pad, 0, out, i * size, size);
            } else {
                System.arraycopy(in, indices[i] * size, out, i * size, size);
            }
        }
        return DenseElementsAttr.fromBytes(NnTypes.type(source.elementType(), shape), out);
    }

    /** An index into a dim of {@code size}, negatives counting from the end; out of range is an error. */
    static long index(long i, long size, String what) {
        if (i < -size || i >= size) {
            throw new IllegalArgumentException(what + " " + i + " is out of range for a dimension of size " + size
                    + "; expected " + -size + ".." + (size - 1));
        }
        return i < 0 ? i + size : i;
    }

    /** A tensor of {@code shape} from little-endian bytes of every element. */
    static DenseElementsAttr fromBytes(ScalarType et, long[] shape, byte[] data) {
        return DenseElementsAttr.fromBytes(NnTypes.type(et, shape), data);
    }

    /** Maps a result coordinate along dim {@code d} to an operand coordinate, or -1 for "no element". */
    @FunctionalInterface
    interface DimMap {
        long apply(int d, long coordinate);
    }

    /**
     * For every element of {@code outShape} (row-major), the flat position in an operand of
     * {@code inShape} that {@code map} sends each of its coordinates to, or -1 when any
     * coordinate maps to -1 (an element to fill, see {@link #gatherOrFill}).
     */
    static int[] sources(long[] outShape, long[] inShape, DimMap map) {
        int rank = outShape.length;
        long[] strides = IndexMath.strides(inShape);
        long[][] perDim = new long[rank][];
        for (int d = 0; d < rank; d++) {
            perDim[d] = new long[(int) outShape[d]];
            for (int c = 0; c < outShape[d]; c++) {
                long in = map.apply(d, c);
                perDim[d][c] = in < 0 ? -1 : in * strides[d];
            }
        }
        int n = IndexMath.count(outShape);
        int[] out = new int[n];
        long[] index = new long[rank];
        for (int i = 0; i < n; i++) {
            long offset = 0;
            for (int d = 0; d < rank && offset >= 0; d++) {
                long part = perDim[d][(int) index[d]];
                offset = part < 0 ? -1 : offset + part;
            }
            out[i] = (int) offset;
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < outShape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }
}
