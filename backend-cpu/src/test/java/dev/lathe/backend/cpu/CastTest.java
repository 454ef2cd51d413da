package dev.lathe.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.attr.Numbers;
import dev.lathe.ir.type.ScalarType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** loop.cast: saturation, NaN to 0, signedness of extension, i1, f16/bf16 and f64 narrowing. */
class CastTest {

    private static MemorySegment cast(Arena arena, ScalarType from, ScalarType to, int n, MemorySegment in) {
        return Kernels.run(Kernels.elementwise("loop.cast", "", from, to, 1, n), arena, in)[0];
    }

    private static final float[] F = {1.9f, -1.9f, 300f, -300f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f};

    @Test
    void floatToIntegerTruncatesSaturatesAndMapsNaNToZero() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = Buffers.floats(arena, F);
            assertArrayEquals(new byte[] {1, -1, 127, -128, 0, 127, -128, 0},
                    Buffers.toBytes(cast(arena, ScalarType.F32, ScalarType.I8, F.length, in), F.length));
            assertArrayEquals(new byte[] {1, 0, (byte) 255, 0, 0, (byte) 255, 0, 0},
                    Buffers.toBytes(cast(arena, ScalarType.F32, ScalarType.U8, F.length, in), F.length));
            int[] i32 = Buffers.toInts(cast(arena, ScalarType.F32, ScalarType.I32, F.length, in), F.length);
            assertArrayEquals(new int[] {1, -1, 300, -300, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}, i32);
        }
    }

    @Test
    void integerWideningFollowsTheSourceSignedness() {
        try (Arena arena = Arena.ofConfined()) {
            byte[] b = {-1, 127, -128, 5};
            MemorySegment in = Buffers.bytes(arena, b);
            assertArrayEquals(new int[] {-1, 127, -128, 5}, Buffers.toInts(cast(arena, ScalarType.I8, ScalarType.I32, 4, in), 4));
            assertArrayEquals(new int[] {255, 127, 128, 5}, Buffers.toInts(cast(arena, ScalarType.U8, ScalarType.I32, 4, in), 4));
            assertArrayEquals(new float[] {255, 127, 128, 5},
                    Buffers.toFloats(cast(arena, ScalarType.U8, ScalarType.F32, 4, in), 4));
            assertArrayEquals(new float[] {-1, 127, -128, 5},
                    Buffers.toFloats(cast(arena, ScalarType.I8, ScalarType.F32, 4, in), 4));
            long[] l = {0x1_0000_0005L, -1, 0xFFFF_FFFFL};
            assertArrayEquals(new int[] {5, -1, -1},
                    Buffers.toInts(cast(arena, ScalarType.I64, ScalarType.I32, 3, Buffers.longs(arena, l)), 3));
            assertArrayEquals(new float[] {0x1p32f, 0x1p64f, 0x1p32f},
                    Buffers.toFloats(cast(arena, ScalarType.U64, ScalarType.F32, 3, Buffers.longs(arena, l)), 3),
                    "u64 -1 is 2^64 - 1, which rounds to 2^64");
        }
    }

    @Test
    void anythingToBooleanIsNonZeroAndBooleanToNumberIsZeroOrOne() {
        try (Arena arena = Arena.ofConfined()) {
            float[] x = {0f, -0f, Float.NaN, 0.5f};
            assertArrayEquals(new byte[] {0, 0, 1, 1},
                    Buffers.toBytes(cast(arena, ScalarType.F32, ScalarType.I1, 4, Buffers.floats(arena, x)), 4));
            assertArrayEquals(new byte[] {0, 1, 1},
                    Buffers.toBytes(cast(arena, ScalarType.I32, ScalarType.I1, 3, Buffers.ints(arena, 0, 256, -1)), 3));
            MemorySegment bools = Buffers.bytes(arena, (byte) 1, (byte) 0);
            assertArrayEquals(new float[] {1, 0}, Buffers.toFloats(cast(arena, ScalarType.I1, ScalarType.F32, 2, bools), 2));
            assertArrayEquals(new int[] {1, 0}, Buffers.toInts(cast(arena, ScalarType.I1, ScalarType.I32, 2, bools), 2),
                    "i1 true is 1, not -1");
        }
    }

    @Test
    void floatNarrowingRoundsOnceToNearestEven() {
        try (Arena arena = Arena.ofConfined()) {
            // 1 + 2^-11 + 2^-40: a tie in f16 after rounding to f32 first, above the tie in f64.
            double[] d = {1 + 0x1p-11 + 0x1p-40, 3.14159, 1e6, -65520, 1 + 0x1p-8 + 0x1p-40};
            MemorySegment in = Buffers.doubles(arena, d);
            short[] half = Buffers.toShorts(cast(arena, ScalarType.F64, ScalarType.F16, d.length, in), d.length);
            short[] bf = Buffers.toShorts(cast(arena, ScalarType.F64, ScalarType.BF16, d.length, in), d.length);
            for (int i = 0; i < d.length; i++) {
                assertEquals(Float.floatToFloat16((float) roundToBits(d[i], 11)), half[i], "f16 of " + d[i]);
                assertEquals(Numbers.floatToBf16((float) roundToBits(d[i], 8)), bf[i], "bf16 of " + d[i]);
            }
            short[] viaHalf = {Float.floatToFloat16(1.5f), Float.floatToFloat16(-3.0e-3f)};
            short[] toBf = Buffers.toShorts(cast(arena, ScalarType.F16, ScalarType.BF16, 2, Buffers.shorts(arena, viaHalf)), 2);
            for (int i = 0; i < 2; i++) {
                assertEquals(Numbers.floatToBf16(Float.float16ToFloat(viaHalf[i])), toBf[i]);
            }
        }
    }

    /** {@code d} rounded once, half to even, to {@code bits} significant bits (normal range). */
    private static double roundToBits(double d, int bits) {
        double scale = Math.scalb(1.0, Math.getExponent(d) - (bits - 1));
        return Math.rint(d / scale) * scale;
    }
}
