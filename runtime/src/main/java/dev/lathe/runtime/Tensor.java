package dev.lathe.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense row-major tensor in native memory: a dtype, a shape and a 64-byte aligned
 * {@link MemorySegment} of little-endian elements (a bool is one byte, 0 or 1). Tensors made by
 * the factories here (and the outputs of {@link CompiledModel#run}) live in an automatic arena:
 * the garbage collector frees them. Immutable in shape and dtype; the data may be written
 * through {@link #segment()} by its owner, which must not do so while a run reads it.
 */
public final class Tensor {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DType dtype;
    private final long[] shape;
    private final MemorySegment data;

    private Tensor(DType dtype, long[] shape, MemorySegment data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /** A zeroed tensor. */
    public static Tensor allocate(DType dtype, long... shape) {
        long n = count(shape);
        MemorySegment s = Arena.ofAuto().allocate(Math.max(1, n * dtype.byteSize()), 64);
        return new Tensor(dtype, shape.clone(), s);
    }

    /**
     * A tensor over memory the caller owns (no copy): at least {@code numElements · byteSize}
     * bytes, native, aligned to the element size (64 bytes is best). The caller keeps it alive.
     */
    public static Tensor wrap(DType dtype, MemorySegment data, long... shape) {
        long bytes = count(shape) * dtype.byteSize();
        if (!data.isNative()) {
            throw new IllegalArgumentException("a tensor wraps native (off-heap) memory; copy a heap array with Tensor.of");
        }
        if (data.byteSize() < bytes) {
            throw new IllegalArgumentException(dtype.irName() + " " + Arrays.toString(shape) + " needs " + bytes
                    + " bytes, got a segment of " + data.byteSize());
        }
        if (data.address() % dtype.byteSize() != 0) {
            throw new IllegalArgumentException("the segment is not aligned to its " + dtype.byteSize() + "-byte elements");
        }
        return new Tensor(dtype, shape.clone(), data.asSlice(0, bytes));
    }

    public static Tensor of(float[] values, long... shape) {
        Tensor t = sized(DType.FLOAT32, values.length, shape);
        MemorySegment.copy(values, 0, t.data, F32, 0, values.length);
        return t;
    }

    public static Tensor of(double[] values, long... shape) {
        Tensor t = sized(DType.FLOAT64, values.length, shape);
        MemorySegment.copy(values, 0, t.data, F64, 0, values.length);
        return t;
    }

    public static Tensor of(long[] values, long... shape) {
        Tensor t = sized(DType.INT64, values.length, shape);
        MemorySegment.copy(values, 0, t.data, I64, 0, values.length);
        return t;
    }

    public static Tensor of(int[] values, long... shape) {
        Tensor t = sized(DType.INT32, values.length, shape);
        MemorySegment.copy(values, 0, t.data, I32, 0, values.length);
        return t;
    }

    public static Tensor of(boolean[] values, long... shape) {
        Tensor t = sized(DType.BOOL, values.length, shape);
        for (int i = 0; i < values.length; i++) {
            t.data.set(ValueLayout.JAVA_BYTE, i, values[i] ? (byte) 1 : 0);
        }
        return t;
    }

    /** A tensor of any dtype from its raw little-endian bytes. */
    public static Tensor ofBytes(DType dtype, byte[] littleEndian, long... shape) {
        long n = count(shape);
        if (littleEndian.length != n * dtype.byteSize()) {
            throw new IllegalArgumentException(dtype.irName() + " " + Arrays.toString(shape) + " takes " + n * dtype.byteSize()
                    + " bytes, got " + littleEndian.length);
        }
        Tensor t = allocate(dtype, shape);
        MemorySegment.copy(littleEndian, 0, t.data, ValueLayout.JAVA_BYTE, 0, littleEndian.length);
        return t;
    }

    /** A tensor of an integer or bool {@code dtype} from longs (each truncated to the dtype's width). */
    public static Tensor ofLongs(DType dtype, long[] values, long... shape) {
        if (dtype.isFloat()) {
            throw new IllegalArgumentException("ofLongs makes integer tensors; " + dtype.jsonName() + " takes ofNumbers");
        }
        Tensor t = sized(dtype, values.length, shape);
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            switch (dtype.byteSize()) {
                case 8 -> t.data.setAtIndex(I64, i, v);
                case 4 -> t.data.setAtIndex(I32, i, (int) v);
                case 2 -> t.data.setAtIndex(I16, i, (short) v);
                default -> t.data.set(ValueLayout.JAVA_BYTE, i, dtype == DType.BOOL ? (byte) (v != 0 ? 1 : 0) : (byte) v);
            }
        }
        return t;
    }

    /** A tensor of {@code dtype} from numbers (JSON input): each converted as a cast would. */
    public static Tensor ofNumbers(DType dtype, double[] values, long... shape) {
        Tensor t = sized(dtype, values.length, shape);
        for (int i = 0; i < values.length; i++) {
            t.setDouble(i, values[i]);
        }
        return t;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long numElements() {
        return count(shape);
    }

    public long byteSize() {
        return numElements() * dtype.byteSize();
    }

    /** The elements (row-major, little-endian). */
    public MemorySegment segment() {
        return data;
    }

    public byte[] toByteArray() {
        return data.asSlice(0, byteSize()).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The elements as floats: exact for f32, f16 and bf16; f64 and integers are converted. */
    public float[] toFloatArray() {
        if (dtype == DType.FLOAT32) {
            return data.asSlice(0, byteSize()).toArray(F32);
        }
        float[] out = new float[elements()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    public double[] toDoubleArray() {
        double[] out = new double[elements()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** The elements as longs: exact for integer and bool dtypes; floats are truncated. */
    public long[] toLongArray() {
        if (dtype == DType.INT64) {
            return data.asSlice(0, byteSize()).toArray(I64);
        }
        long[] out = new long[elements()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    public int[] toIntArray() {
        long[] l = toLongArray();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = (int) l[i];
        }
        return out;
    }

    public boolean[] toBooleanArray() {
        long[] l = toLongArray();
        boolean[] out = new boolean[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = l[i] != 0;
        }
        return out;
    }

    /** Element {@code i} (row-major) as a double. */
    public double getDouble(long i) {
        return switch (dtype) {
            case FLOAT64 -> data.getAtIndex(F64, i);
            case FLOAT32 -> data.getAtIndex(F32, i);
            case FLOAT16 -> Float.float16ToFloat(data.getAtIndex(I16, i));
            case BFLOAT16 -> Float.intBitsToFloat((data.getAtIndex(I16, i) & 0xffff) << 16);
            case UINT64 -> {
                long v = data.getAtIndex(I64, i);
                yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
            }
            default -> getLong(i);
        };
    }

    /** Element {@code i} (row-major) as a long (unsigned dtypes zero-extended). */
    public long getLong(long i) {
        return switch (dtype) {
            case INT64, UINT64 -> data.getAtIndex(I64, i);
            case INT32 -> data.getAtIndex(I32, i);
            case UINT32 -> data.getAtIndex(I32, i) & 0xffffffffL;
            case INT16 -> data.getAtIndex(I16, i);
            case UINT16 -> data.getAtIndex(I16, i) & 0xffff;
            case INT8 -> data.get(ValueLayout.JAVA_BYTE, i);
            case UINT8, BOOL -> data.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            default -> (long) getDouble(i);
        };
    }

    private void setDouble(long i, double v) {
        switch (dtype) {
            case FLOAT64 -> data.setAtIndex(F64, i, v);
            case FLOAT32 -> data.setAtIndex(F32, i, (float) v);
            case FLOAT16 -> data.setAtIndex(I16, i, Float.floatToFloat16((float) v));
            case BFLOAT16 -> data.setAtIndex(I16, i, (short) (Float.floatToRawIntBits((float) v) >>> 16));
            case INT64, UINT64 -> data.setAtIndex(I64, i, (long) v);
            case INT32, UINT32 -> data.setAtIndex(I32, i, (int) (long) v);
            case INT16, UINT16 -> data.setAtIndex(I16, i, (short) (long) v);
            case INT8, UINT8 -> data.set(ValueLayout.JAVA_BYTE, i, (byte) (long) v);
            case BOOL -> data.set(ValueLayout.JAVA_BYTE, i, v != 0 ? (byte) 1 : 0);
        }
    }

    /** {@code f32 [1, 128]}: how messages describe a tensor. */
    public String describe() {
        return dtype.irName() + " " + Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return "Tensor(" + describe() + ")";
    }

    private int elements() {
        long n = numElements();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(describe() + " has too many elements for a Java array");
        }
        return (int) n;
    }

    private static Tensor sized(DType dtype, long given, long[] shape) {
        if (given != count(shape)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count(shape)
                    + " elements, got " + given + " values");
        }
        return allocate(dtype, shape);
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
