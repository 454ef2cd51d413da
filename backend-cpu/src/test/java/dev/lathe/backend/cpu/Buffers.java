package dev.lathe.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** 64-byte aligned native buffers for tests. */
public final class Buffers {

    private Buffers() {}

    public static MemorySegment floats(Arena a, float... v) {
        MemorySegment s = a.allocate(Math.max(4L * v.length, 4), 64);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_FLOAT, 0, v.length);
        return s;
    }

    public static MemorySegment doubles(Arena a, double... v) {
        MemorySegment s = a.allocate(Math.max(8L * v.length, 8), 64);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_DOUBLE, 0, v.length);
        return s;
    }

    public static MemorySegment ints(Arena a, int... v) {
        MemorySegment s = a.allocate(Math.max(4L * v.length, 4), 64);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_INT, 0, v.length);
        return s;
    }

    public static MemorySegment longs(Arena a, long... v) {
        MemorySegment s = a.allocate(Math.max(8L * v.length, 8), 64);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_LONG, 0, v.length);
        return s;
    }

    public static MemorySegment shorts(Arena a, short... v) {
        MemorySegment s = a.allocate(Math.max(2L * v.length, 2), 64);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_SHORT, 0, v.length);
        return s;
    }

    public static MemorySegment bytes(Arena a, byte... v) {
        MemorySegment s = a.allocate(Math.max(v.length, 1), 64);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_BYTE, 0, v.length);
        return s;
    }

    public static MemorySegment zeros(Arena a, long bytes) {
        return a.allocate(Math.max(bytes, 1), 64);
    }

    public static float[] toFloats(MemorySegment s, int n) {
        return s.asSlice(0, 4L * n).toArray(ValueLayout.JAVA_FLOAT);
    }

    public static double[] toDoubles(MemorySegment s, int n) {
        return s.asSlice(0, 8L * n).toArray(ValueLayout.JAVA_DOUBLE);
    }

    public static int[] toInts(MemorySegment s, int n) {
        return s.asSlice(0, 4L * n).toArray(ValueLayout.JAVA_INT);
    }

    public static long[] toLongs(MemorySegment s, int n) {
        return s.asSlice(0, 8L * n).toArray(ValueLayout.JAVA_LONG);
    }

    public static short[] toShorts(MemorySegment s, int n) {
        return s.asSlice(0, 2L * n).toArray(ValueLayout.JAVA_SHORT);
    }

    public static byte[] toBytes(MemorySegment s, int n) {
        return s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }
}
