package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.TensorType;

/**
 * Numpy broadcasting: shapes are aligned on the right, a dimension of 1 stretches to the other,
 * and a dynamic dimension ({@code ?}) meets a static one {@code n > 1} as {@code n} (it must be
 * {@code n} or 1 at run time), meets 1 or {@code ?} as {@code ?}.
 */
public final class Broadcast {

    private Broadcast() {}

    /** The broadcast of two dimensions, or null when they do not broadcast. */
    static Long dim(long a, long b) {
        if (a == b || b == 1) {
            return a;
        }
        if (a == 1) {
            return b;
        }
        if (a == TensorType.DYNAMIC) {
            return b;
        }
        if (b == TensorType.DYNAMIC) {
            return a;
        }
        return null;
    }

    /** The broadcast shape ({@link TensorType#DYNAMIC} for {@code ?}), or null when they do not broadcast. */
    public static long[] shape(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 1; i <= rank; i++) {
            long da = i <= a.length ? a[a.length - i] : 1;
            long db = i <= b.length ? b[b.length - i] : 1;
            Long d = dim(da, db);
            if (d == null) {
                return null;
            }
            out[rank - i] = d;
        }
        return out;
    }

    /** The type both operands broadcast to, with {@code a}'s element type. */
    public static TensorType resultType(TensorType a, TensorType b) {
        long[] s = shape(a.shapeArray(), b.shapeArray());
        if (s == null) {
            throw new InvalidOpException("operands of shapes " + a.text() + " and " + b.text() + " do not broadcast");
        }
        return TensorType.of(a.elementType(), s);
    }

    /**
     * Strides that read an operand of static shape {@code operand} at each index of
     * {@code result} (0 along the dimensions it is broadcast over).
     */
    public static long[] strides(long[] operand, long[] result) {
        long[] own = IndexMath.strides(operand);
        long[] out = new long[result.length];
        int lead = result.length - operand.length;
        for (int d = lead; d < result.length; d++) {
            out[d] = operand[d - lead] == 1 && result[d] != 1 ? 0 : own[d - lead];
        }
        return out;
    }

    /** For each element of {@code result} in row-major order, the flat index it reads in {@code operand}. */
    public static int[] map(long[] operand, long[] result) {
        return IndexMath.offsets(result, strides(operand, result));
    }
}
