package dev.lathe.ir.dialect.nn;

/**
 * Row-major index arithmetic for the reference kernels. Every layout question of the nn ops
 * (broadcasting, transposition, reduction, batched matmul) is one call to {@link #offsets}
 * with the right strides.
 */
public final class IndexMath {

    private IndexMath() {}

    /** Number of elements of a static shape, as an array length. */
    public static int count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return Math.toIntExact(n);
    }

    /** Strides of a contiguous row-major tensor: the last dimension has stride 1. */
    public static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= shape[d];
        }
        return s;
    }

    /**
     * For every index of {@code shape} in row-major order, the dot product of the index with
     * {@code strides}: the flat position that index reads (or writes) in another tensor. A
     * stride of 0 repeats an element along that dimension, as broadcasting and reduction need.
     */
    public static int[] offsets(long[] shape, long[] strides) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape of rank " + shape.length + " with " + strides.length + " strides");
        }
        int n = count(shape);
        int[] out = new int[n];
        long[] index = new long[shape.length];
        long offset = 0;
        for (int i = 0; i < n; i++) {
            out[i] = Math.toIntExact(offset);
            for (int d = shape.length - 1; d >= 0; d--) {
                index[d]++;
                offset += strides[d];
                if (index[d] < shape[d]) {
                    break;
                }
                offset -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
        return out;
    }
}
