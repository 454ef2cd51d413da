package dev.lathe.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.type.ScalarType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Float ops: strict IEEE, NaN-propagating min/max, libm functions against StrictMath, f16/bf16. */
class FloatArithmeticTest {

    private static float[] f32(String op, String attrs, int arity, float[]... in) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] args = new MemorySegment[arity];
            for (int k = 0; k < arity; k++) {
                args[k] = Buffers.floats(arena, in[k]);
            }
            int n = in[0].length;
            return Buffers.toFloats(Kernels.run(Kernels.elementwise(op, attrs, ScalarType.F32, ScalarType.F32, arity, n),
                    arena, args)[0], n);
        }
    }

    private static double[] f64(String op, int arity, double[]... in) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] args = new MemorySegment[arity];
            for (int k = 0; k < arity; k++) {
                args[k] = Buffers.doubles(arena, in[k]);
            }
            int n = in[0].length;
            return Buffers.toDoubles(Kernels.run(Kernels.elementwise(op, "", ScalarType.F64, ScalarType.F64, arity, n),
                    arena, args)[0], n);
        }
    }

    @Test
    void minMaxPropagateNaNAndOrderSignedZeros() {
        float nan = Float.NaN;
        float[] a = {1, nan, 3, -0.0f, 0.0f};
        float[] b = {2, 5, nan, 0.0f, -0.0f};
        float[] min = f32("loop.min", "", 2, a, b);
        float[] max = f32("loop.max", "", 2, a, b);
        assertArrayEquals(new float[] {1, nan, nan, -0.0f, -0.0f}, min);
        assertArrayEquals(new float[] {2, nan, nan, 0.0f, 0.0f}, max);
    }

    @Test
    void divisionAndRemainderAreIeeeAndFmod() {
        float[] a = {1, -1, 0, 7.5f, -7.5f, 5};
        float[] b = {0, 0, 0, 2, 2, Float.POSITIVE_INFINITY};
        float[] div = f32("loop.div", "", 2, a, b);
        float[] rem = f32("loop.rem", "", 2, a, b);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i] / b[i], div[i], "div " + i);
            assertEquals(a[i] % b[i], rem[i], "rem " + i); // Java's % is fmod
        }
    }

    @Test
    void fmaRoundsOnce() {
        float a = 1 + 0x1p-12f;
        float c = -(1 + 0x1p-11f);
        float[] r = f32("loop.fma", "", 3, new float[] {a}, new float[] {a}, new float[] {c});
        assertEquals(Math.fma(a, a, c), r[0]);
        assertEquals(0x1p-24f, r[0], "a*a+c is exactly 2^-24, which a separate rounding of a*a would lose");
    }

    @Test
    void roundingFunctions() {
        float[] x = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.7f, -2.7f};
        float[] round = f32("loop.round", "", 1, x);
        float[] floor = f32("loop.floor", "", 1, x);
        float[] ceil = f32("loop.ceil", "", 1, x);
        float[] trunc = f32("loop.trunc", "", 1, x);
        for (int i = 0; i < x.length; i++) {
            assertEquals((float) Math.rint(x[i]), round[i], "round half to even " + x[i]);
            assertEquals((float) Math.floor(x[i]), floor[i]);
            assertEquals((float) Math.ceil(x[i]), ceil[i]);
            assertEquals((float) (x[i] < 0 ? Math.ceil(x[i]) : Math.floor(x[i])), trunc[i]);
        }
    }

    /** f32 functions within 4 ulp of the correctly rounded StrictMath result (libm or LLVM intrinsics). */
    @Test
    void f32FunctionsAgainstStrictMath() {
        float[] x = {-3.5f, -1.2f, -0.3f, 0.0f, 0.25f, 0.9f, 1.7f, 4.0f, 12.5f};
        float[] unit = {-0.99f, -0.5f, -0.1f, 0.0f, 0.2f, 0.6f, 0.95f};
        float[] positive = {1e-3f, 0.5f, 1.0f, 2.0f, 10.0f, 1e5f};
        float[] atLeastOne = {1.0f, 1.5f, 3.0f, 100.0f};
        check("loop.exp", x, StrictMath::exp);
        check("loop.log", positive, StrictMath::log);
        check("loop.sqrt", positive, StrictMath::sqrt);
        check("loop.tanh", x, StrictMath::tanh);
        check("loop.erf", x, FloatArithmeticTest::erf);
        check("loop.sin", x, StrictMath::sin);
        check("loop.cos", x, StrictMath::cos);
        check("loop.tan", unit, StrictMath::tan);
        check("loop.asin", unit, StrictMath::asin);
        check("loop.acos", unit, StrictMath::acos);
        check("loop.atan", x, StrictMath::atan);
        check("loop.sinh", x, StrictMath::sinh);
        check("loop.cosh", x, StrictMath::cosh);
        check("loop.asinh", x, v -> StrictMath.log(v + StrictMath.sqrt(v * v + 1)));
        check("loop.acosh", atLeastOne, v -> StrictMath.log(v + StrictMath.sqrt(v * v - 1)));
        check("loop.atanh", unit, v -> 0.5 * StrictMath.log((1 + v) / (1 - v)));
    }

    private static void check(String op, float[] x, DoubleUnaryOperator reference) {
        float[] got = f32(op, "", 1, x);
        for (int i = 0; i < x.length; i++) {
            float expected = (float) reference.applyAsDouble(x[i]);
            float tolerance = 4 * Math.ulp(expected) + 1e-7f; // absolute floor for results near 0 (erf, sin)
            assertEquals(expected, got[i], tolerance, op + "(" + x[i] + ")");
        }
    }

    /** erf in double by its Maclaurin series (|x| <= 4 converges well) or 1 - tiny. */
    private static double erf(double x) {
        if (Math.abs(x) > 4) {
            return Math.signum(x);
        }
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void f64PowAndAtan2MatchStrictMath() {
        double[] a = {2, -8, 0.5, 10, -1, 0};
        double[] b = {10, 1.0 / 3, -2, 0.3, 0.5, -1};
        check2(f64("loop.pow", 2, a, b), a, b, StrictMath::pow);
        check2(f64("loop.atan2", 2, a, b), a, b, StrictMath::atan2);
    }

    private static void check2(double[] got, double[] a, double[] b, DoubleBinaryOperator reference) {
        for (int i = 0; i < a.length; i++) {
            double e = reference.applyAsDouble(a[i], b[i]);
            assertEquals(e, got[i], Double.isNaN(e) ? 0 : 2 * Math.ulp(e), "(" + a[i] + ", " + b[i] + ")");
        }
    }

    @Test
    void isNanAndIsInf() {
        try (Arena arena = Arena.ofConfined()) {
            float[] x = {1, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f};
            MemorySegment in = Buffers.floats(arena, x);
            assertArrayEquals(new byte[] {0, 1, 0, 0, 0}, Buffers.toBytes(Kernels.run(Kernels.elementwise("loop.is_nan", "",
                    ScalarType.F32, ScalarType.I1, 1, 5), arena, in)[0], 5));
            assertArrayEquals(new byte[] {0, 0, 1, 1, 0}, Buffers.toBytes(Kernels.run(Kernels.elementwise("loop.is_inf", "",
                    ScalarType.F32, ScalarType.I1, 1, 5), arena, in)[0], 5));
            byte[] ne = Buffers.toBytes(Kernels.run(Kernels.elementwise("loop.cmp", "{predicate = \"ne\"}", ScalarType.F32,
                    ScalarType.I1, 2, 5), arena, in, in)[0], 5);
            assertArrayEquals(new byte[] {0, 1, 0, 0, 0}, ne, "ne is unordered: true on NaN");
            byte[] eq = Buffers.toBytes(Kernels.run(Kernels.elementwise("loop.cmp", "{predicate = \"eq\"}", ScalarType.F32,
                    ScalarType.I1, 2, 5), arena, in, in)[0], 5);
            assertArrayEquals(new byte[] {1, 0, 1, 1, 1}, eq, "eq is ordered: false on NaN");
        }
    }

    /** f16 and bf16 arithmetic rounds the exact result once to the narrow type. */
    @Test
    void halfPrecisionArithmeticRoundsOnce() {
        float[] a = {1.0f, 0.1f, 3.14159f, 65504f, -2.5f};
        float[] b = {1e-3f, 0.2f, 2.71828f, 65504f, 1.25f};
        try (Arena arena = Arena.ofConfined()) {
            short[] ha = new short[a.length];
            short[] hb = new short[a.length];
            short[] ba = new short[a.length];
            short[] bb = new short[a.length];
            for (int i = 0; i < a.length; i++) {
                ha[i] = Float.floatToFloat16(a[i]);
                hb[i] = Float.floatToFloat16(b[i]);
                ba[i] = dev.lathe.ir.attr.Numbers.floatToBf16(a[i]);
                bb[i] = dev.lathe.ir.attr.Numbers.floatToBf16(b[i]);
            }
            short[] hsum = Buffers.toShorts(Kernels.run(Kernels.elementwise("loop.mul", "", ScalarType.F16, ScalarType.F16, 2,
                    a.length), arena, Buffers.shorts(arena, ha), Buffers.shorts(arena, hb))[0], a.length);
            short[] bsum = Buffers.toShorts(Kernels.run(Kernels.elementwise("loop.add", "", ScalarType.BF16, ScalarType.BF16, 2,
                    a.length), arena, Buffers.shorts(arena, ba), Buffers.shorts(arena, bb))[0], a.length);
            for (int i = 0; i < a.length; i++) {
                // The product of two f16 values is exact in f32, so rounding it to f16 is the one rounding.
                float exactProduct = Float.float16ToFloat(ha[i]) * Float.float16ToFloat(hb[i]);
                assertEquals(Float.floatToFloat16(exactProduct), hsum[i], "f16 " + a[i] + " * " + b[i]);
                double exactSum = (double) dev.lathe.ir.attr.Numbers.bf16ToFloat(ba[i])
                        + dev.lathe.ir.attr.Numbers.bf16ToFloat(bb[i]);
                assertEquals(dev.lathe.ir.attr.Numbers.floatToBf16((float) exactSum), bsum[i], "bf16 " + a[i] + " + " + b[i]);
            }
            short[] hexp = Buffers.toShorts(Kernels.run(Kernels.elementwise("loop.exp", "", ScalarType.F16, ScalarType.F16, 1,
                    a.length), arena, Buffers.shorts(arena, ha))[0], a.length);
            for (int i = 0; i < a.length - 1; i++) {
                // Computed in f32, rounded to f16: within one f16 ulp of the correctly rounded result.
                short e = Float.floatToFloat16((float) StrictMath.exp(Float.float16ToFloat(ha[i])));
                assertEquals(e, hexp[i], 1, "f16 exp " + a[i]);
            }
        }
    }
}
