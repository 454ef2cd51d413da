package dev.lathe.ir.attr;

import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@code dense<[1.0, 2.0]> : tensor<2xf32>}: the elements of a statically shaped tensor,
 * stored little-endian in the element type's width. A tensor whose elements are all equal is
 * stored once and flagged as a splat, so equal tensors have one representation.
 *
 * <p>Also the value the reference semantics compute on: it is immutable, so folding and
 * interpretation can share constants without copying.
 */
public final class DenseElementsAttr implements Attribute {

    /** Above this many elements the printer writes the hex form instead of a list. */
    public static final long MAX_LISTED_ELEMENTS = 4096;

    private final TensorType type;
    private final byte[] data;
    private final boolean splat;
    private final long numElements;
    /**
     * Computed on first use (0: not yet), not in the constructor: most attributes are weights
     * copied out of resources at compile time and never hashed, and hashing every byte of them
     * was a visible part of compiling a model. A benign race, as in {@link String#hashCode}.
     */
    private int hash;

    private DenseElementsAttr(TensorType type, byte[] data) {
        if (!type.hasStaticShape()) {
            throw new IllegalArgumentException("dense elements need a static shape, got " + type);
        }
        int size = type.elementType().byteSize();
        long n = type.numElements();
        if (data.length != size && data.length != n * size && !(n == 0 && data.length <= size)) {
            throw new IllegalArgumentException("dense data of " + data.length + " bytes does not fit " + type
                    + " (" + n + " elements of " + size + " bytes)");
        }
        if (n == 0) {
            data = new byte[0]; // one representation for empty tensors
        } else if (data.length != size && allElementsEqual(data, size)) {
            data = Arrays.copyOf(data, size);
        }
        this.type = type;
        this.data = data;
        this.splat = data.length == size && n > 0;
        this.numElements = n;
    }

    private static boolean allElementsEqual(byte[] data, int size) {
        for (int i = size; i < data.length; i++) {
            if (data[i] != data[i % size]) {
                return false;
            }
        }
        return true;
    }

    /** From raw little-endian bytes: one element (a splat) or every element. */
    public static DenseElementsAttr fromBytes(TensorType type, byte[] littleEndian) {
        return new DenseElementsAttr(type, littleEndian.clone());
    }

    /** From the remaining bytes of a buffer (little-endian; one element or every element), copied once. */
    public static DenseElementsAttr fromBuffer(TensorType type, ByteBuffer littleEndian) {
        byte[] data = new byte[littleEndian.remaining()];
        littleEndian.duplicate().get(data);
        return new DenseElementsAttr(type, data);
    }

    /** From values given as doubles (converted to the element type); one value makes a splat. */
    public static DenseElementsAttr fromDoubles(TensorType type, double... values) {
        ScalarType et = type.elementType();
        ByteBuffer buf = ByteBuffer.allocate(values.length * et.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (et.isFloat()) {
                putFloat(buf, v, et);
            } else {
                putInteger(buf, et == ScalarType.I1 ? (v != 0 ? 1 : 0) : (long) v, et);
            }
        }
        return new DenseElementsAttr(type, buf.array());
    }

    /** From values given as longs (converted to the element type); one value makes a splat. */
    public static DenseElementsAttr fromLongs(TensorType type, long... values) {
        ScalarType et = type.elementType();
        ByteBuffer buf = ByteBuffer.allocate(values.length * et.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            if (et.isFloat()) {
                putFloat(buf, v, et);
            } else {
                putInteger(buf, et == ScalarType.I1 ? (v != 0 ? 1 : 0) : v, et);
            }
        }
        return new DenseElementsAttr(type, buf.array());
    }

    public static DenseElementsAttr splat(TensorType type, double value) {
        return fromDoubles(type, value);
    }

    private static void putFloat(ByteBuffer buf, double v, ScalarType t) {
        switch (t) {
            case F64 -> buf.putDouble(v);
            case F32 -> buf.putFloat((float) v);
            case F16 -> buf.putShort(Float.floatToFloat16((float) v));
            case BF16 -> buf.putShort(Numbers.floatToBf16((float) v));
            default -> throw new IllegalArgumentException(t.text());
        }
    }

    private static void putInteger(ByteBuffer buf, long v, ScalarType t) {
        switch (t.byteSize()) {
            case 8 -> buf.putLong(v);
            case 4 -> buf.putInt((int) v);
            case 2 -> buf.putShort((short) v);
            default -> buf.put((byte) v);
        }
    }

    public TensorType type() {
        return type;
    }

    public ScalarType elementType() {
        return type.elementType();
    }

    public long numElements() {
        return numElements;
    }

    public boolean isSplat() {
        return splat;
    }

    /** Element {@code i} in row-major order, as a double. */
    public double getDouble(long i) {
        ScalarType t = type.elementType();
        int off = offset(i);
        return switch (t) {
            case F64 -> Double.longBitsToDouble(readLong(off, 8));
            case F32 -> Float.intBitsToFloat((int) readLong(off, 4));
            case F16 -> Float.float16ToFloat((short) readLong(off, 2));
            case BF16 -> Numbers.bf16ToFloat((short) readLong(off, 2));
            case U8, U16, U32 -> getLong(i);
            case U64 -> unsignedToDouble(readLong(off, 8));
            default -> readLong(off, t.byteSize());
        };
    }

    /** Element {@code i} in row-major order, as a long (floats truncate toward zero). */
    public long getLong(long i) {
        ScalarType t = type.elementType();
        if (t.isFloat()) {
            return (long) getDouble(i);
        }
        long v = readLong(offset(i), t.byteSize());
        // Unsigned values read back zero-extended; u64 keeps its 64 bits (compare and divide
        // them with Long.compareUnsigned / Long.divideUnsigned).
        return t.isUnsigned() && t.byteSize() < 8 ? v & (-1L >>> (64 - 8 * t.byteSize())) : v;
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
    }

    public double[] toDoubles() {
        double[] out = new double[Math.toIntExact(numElements())];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    public long[] toLongs() {
        long[] out = new long[Math.toIntExact(numElements())];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** All elements as little-endian bytes (a splat is expanded). */
    public byte[] toBytes() {
        if (!splat || numElements() == 1) {
            return data.clone();
        }
        int size = data.length;
        byte[] out = new byte[Math.toIntExact(numElements() * size)];
        for (int i = 0; i < out.length; i += size) {
            System.arraycopy(data, 0, out, i, size);
        }
        return out;
    }

    /**
     * The stored bytes as a read-only little-endian view, without copying: every element, or
     * one element when {@link #isSplat}.
     */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes all elements as little-endian bytes (a splat expanded) into {@code dst} at
     * {@code offset}, without the intermediate copy {@link #toBytes} makes.
     */
    public void copyBytesTo(byte[] dst, int offset) {
        if (!splat || numElements == 1) {
            System.arraycopy(data, 0, dst, offset, data.length);
            return;
        }
        for (long i = 0; i < numElements; i++) {
            System.arraycopy(data, 0, dst, Math.toIntExact(offset + i * data.length), data.length);
        }
    }

    /** Same elements under another static shape with the same element count. */
    public DenseElementsAttr reshape(TensorType newType) {
        if (newType.elementType() != type.elementType() || newType.numElements() != numElements()) {
            throw new IllegalArgumentException("cannot reshape " + type + " to " + newType);
        }
        return new DenseElementsAttr(newType, data);
    }

    private int offset(long i) {
        if (i < 0 || i >= numElements()) {
            throw new IndexOutOfBoundsException("element " + i + " of " + type);
        }
        return splat ? 0 : Math.toIntExact(i * type.elementType().byteSize());
    }

    private long readLong(int off, int size) {
        long v = 0;
        for (int b = size - 1; b >= 0; b--) {
            v = (v << 8) | (data[off + b] & 0xff);
        }
        // Sign-extend from the element width.
        int shift = 64 - 8 * size;
        return (v << shift) >> shift;
    }

    @Override
    public String text() {
        StringBuilder sb = new StringBuilder("dense<");
        long n = numElements();
        if (splat && n != 0) {
            sb.append(elementText(0));
        } else if (n > MAX_LISTED_ELEMENTS) {
            sb.append('"').append("0x").append(HexFormat.of().withUpperCase().formatHex(data)).append('"');
        } else {
            appendNested(sb, 0, 0);
        }
        return sb.append("> : ").append(type.text()).toString();
    }

    /** Appends the nested list for dimension {@code dim} starting at flat index {@code base}. */
    private long appendNested(StringBuilder sb, int dim, long base) {
        if (dim == type.rank()) {
            sb.append(elementText(base));
            return base + 1;
        }
        sb.append('[');
        long next = base;
        for (long i = 0; i < type.dim(dim); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            next = appendNested(sb, dim + 1, next);
        }
        sb.append(']');
        return next;
    }

    private String elementText(long i) {
        ScalarType t = type.elementType();
        if (t.isFloat()) {
            double v = getDouble(i);
            if (Double.isNaN(v)) {
                // From the stored bits: going through double would quiet a signaling NaN.
                long bits = readLong(offset(i), t.byteSize()) & (-1L >>> (64 - 8 * t.byteSize()));
                return "0x" + String.format("%0" + 2 * t.byteSize() + "X", bits);
            }
            return Numbers.formatFloat(v, t);
        }
        if (t == ScalarType.I1) {
            return getLong(i) != 0 ? "true" : "false";
        }
        return t == ScalarType.U64 ? Long.toUnsignedString(getLong(i)) : Long.toString(getLong(i));
    }

    @Override
    public boolean equals(Object o) {
        // The hashes are compared only when both are known: computing one costs as much as comparing the bytes.
        return o instanceof DenseElementsAttr d && d.type == type && (hash == 0 || d.hash == 0 || hash == d.hash)
                && Arrays.equals(d.data, data);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = type.hashCode() * 31 + Arrays.hashCode(data);
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }

    @Override
    public String toString() {
        return text();
    }
}
