package dev.lathe.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lathe.ir.type.ScalarType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Integer ops per signedness, with the loop dialect's total semantics at the edges. */
class IntegerArithmeticTest {

    private static int[] binaryI32(String op, int[] a, int[] b) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] out = Kernels.run(Kernels.elementwise(op, "", ScalarType.I32, ScalarType.I32, 2, a.length), arena,
                    Buffers.ints(arena, a), Buffers.ints(arena, b));
            return Buffers.toInts(out[0], a.length);
        }
    }

    private static int[] binaryU32(String op, int[] a, int[] b) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] out = Kernels.run(Kernels.elementwise(op, "", ScalarType.U32, ScalarType.U32, 2, a.length), arena,
                    Buffers.ints(arena, a), Buffers.ints(arena, b));
            return Buffers.toInts(out[0], a.length);
        }
    }

    private static final int MIN = Integer.MIN_VALUE;
    private static final int[] A = {7, -7, 7, -7, MIN, MIN, 5, 0, Integer.MAX_VALUE, -1};
    private static final int[] B = {2, 2, -2, -2, -1, 0, 0, 0, 2, 3};

    @Test
    void signedAddSubMulWrap() {
        int[] add = new int[A.length];
        int[] sub = new int[A.length];
        int[] mul = new int[A.length];
        for (int i = 0; i < A.length; i++) {
            add[i] = A[i] + B[i];
            sub[i] = A[i] - B[i];
            mul[i] = A[i] * B[i];
        }
        assertArrayEquals(add, binaryI32("loop.add", A, B));
        assertArrayEquals(sub, binaryI32("loop.sub", A, B));
        assertArrayEquals(mul, binaryI32("loop.mul", A, B));
    }

    @Test
    void signedDivisionTruncatesAndByZeroGivesZero() {
        // Java's / and % truncate and wrap MIN / -1 to MIN, as the loop dialect does; only /0 differs.
        int[] div = new int[A.length];
        int[] rem = new int[A.length];
        for (int i = 0; i < A.length; i++) {
            div[i] = B[i] == 0 ? 0 : A[i] / B[i];
            rem[i] = B[i] == 0 ? 0 : A[i] % B[i];
        }
        assertArrayEquals(div, binaryI32("loop.div", A, B));
        assertArrayEquals(rem, binaryI32("loop.rem", A, B));
    }

    @Test
    void unsignedDivisionMinMaxAndCompareReadTheBitsUnsigned() {
        int[] a = {-1, -2, 7, 10, 0x80000000, 3};
        int[] b = {2, -1, 0, 3, 1, -1};
        int[] div = new int[a.length];
        int[] rem = new int[a.length];
        int[] min = new int[a.length];
        int[] max = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            div[i] = b[i] == 0 ? 0 : Integer.divideUnsigned(a[i], b[i]);
            rem[i] = b[i] == 0 ? 0 : Integer.remainderUnsigned(a[i], b[i]);
            min[i] = Integer.compareUnsigned(a[i], b[i]) <= 0 ? a[i] : b[i];
            max[i] = Integer.compareUnsigned(a[i], b[i]) >= 0 ? a[i] : b[i];
        }
        assertArrayEquals(div, binaryU32("loop.div", a, b));
        assertArrayEquals(rem, binaryU32("loop.rem", a, b));
        assertArrayEquals(min, binaryU32("loop.min", a, b));
        assertArrayEquals(max, binaryU32("loop.max", a, b));
    }

    @Test
    void shiftsPastTheWidthGiveZeroOrSign() {
        int[] a = {1, -8, -8, 1, 0x40000000, -1, 5};
        int[] n = {3, 1, 40, 32, 1, 31, -1};
        int[] shl = new int[a.length];
        int[] shr = new int[a.length];
        int[] ushr = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            boolean inRange = Integer.compareUnsigned(n[i], 32) < 0;
            shl[i] = inRange ? a[i] << n[i] : 0;
            shr[i] = inRange ? a[i] >> n[i] : (a[i] < 0 ? -1 : 0);
            ushr[i] = inRange ? a[i] >>> n[i] : 0;
        }
        assertArrayEquals(shl, binaryI32("loop.shl", a, n));
        assertArrayEquals(shr, binaryI32("loop.shr", a, n));
        assertArrayEquals(ushr, binaryU32("loop.shr", a, n));
    }

    @Test
    void absAndNegWrapAtMin() {
        long[] x = {5, -5, Long.MIN_VALUE, 0};
        try (Arena arena = Arena.ofConfined()) {
            long[] abs = Buffers.toLongs(Kernels.run(Kernels.elementwise("loop.abs", "", ScalarType.I64, ScalarType.I64, 1, 4),
                    arena, Buffers.longs(arena, x))[0], 4);
            long[] neg = Buffers.toLongs(Kernels.run(Kernels.elementwise("loop.neg", "", ScalarType.I64, ScalarType.I64, 1, 4),
                    arena, Buffers.longs(arena, x))[0], 4);
            assertArrayEquals(new long[] {5, 5, Long.MIN_VALUE, 0}, abs);
            assertArrayEquals(new long[] {-5, 5, Long.MIN_VALUE, 0}, neg);
        }
    }

    @Test
    void smallTypesAndBooleans() {
        try (Arena arena = Arena.ofConfined()) {
            byte[] a = {(byte) 200, 100, 0, (byte) 255};
            byte[] b = {100, (byte) 200, 1, 1};
            byte[] sum = Buffers.toBytes(Kernels.run(Kernels.elementwise("loop.add", "", ScalarType.U8, ScalarType.U8, 2, 4),
                    arena, Buffers.bytes(arena, a), Buffers.bytes(arena, b))[0], 4);
            assertArrayEquals(new byte[] {44, 44, 1, 0}, sum);
            byte[] lt = Buffers.toBytes(Kernels.run(Kernels.elementwise("loop.cmp", "{predicate = \"lt\"}", ScalarType.U8,
                    ScalarType.I1, 2, 4), arena, Buffers.bytes(arena, a), Buffers.bytes(arena, b))[0], 4);
            assertArrayEquals(new byte[] {0, 1, 1, 0}, lt, "u8 compares unsigned; i1 is stored as one byte 0/1");
            byte[] ltSigned = Buffers.toBytes(Kernels.run(Kernels.elementwise("loop.cmp", "{predicate = \"lt\"}", ScalarType.I8,
                    ScalarType.I1, 2, 4), arena, Buffers.bytes(arena, a), Buffers.bytes(arena, b))[0], 4);
            assertArrayEquals(new byte[] {1, 0, 1, 1}, ltSigned);
            byte[] p = {1, 1, 0, 0};
            byte[] q = {1, 0, 1, 0};
            MemorySegment pa = Buffers.bytes(arena, p);
            MemorySegment qa = Buffers.bytes(arena, q);
            assertArrayEquals(new byte[] {1, 0, 0, 0}, Buffers.toBytes(Kernels.run(Kernels.elementwise("loop.and", "",
                    ScalarType.I1, ScalarType.I1, 2, 4), arena, pa, qa)[0], 4));
            assertArrayEquals(new byte[] {0, 1, 1, 0}, Buffers.toBytes(Kernels.run(Kernels.elementwise("loop.xor", "",
                    ScalarType.I1, ScalarType.I1, 2, 4), arena, pa, qa)[0], 4));
            assertArrayEquals(new byte[] {0, 0, 1, 1}, Buffers.toBytes(Kernels.run(Kernels.elementwise("loop.not", "",
                    ScalarType.I1, ScalarType.I1, 1, 4), arena, pa)[0], 4));
        }
    }
}
