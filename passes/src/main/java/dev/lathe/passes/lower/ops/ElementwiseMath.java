package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.ElementwiseKernel;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Float building blocks of the elementwise lowerings, each written once for scalars and vectors
 * (constants take the operand's type, so they splat). The reference computes in double and
 * rounds once; these compute in the element type (f16 and bf16 in f32, see {@link #widened}),
 * with formulas chosen to avoid cancellation where the naive one loses all digits
 * ({@link #expm1}, {@link #log1p}).
 */
final class ElementwiseMath {

    private ElementwiseMath() {}

    /** {@code value} as a constant of {@code like}'s type (a scalar or a splat vector). */
    static Value c(LoopBuilder b, Value like, double value) {
        return b.constant(like.type(), value);
    }

    static ScalarType elementOf(Value v) {
        return VectorType.scalarOf(v.type());
    }

    static boolean isNarrowFloat(ScalarType t) {
        return t == ScalarType.F16 || t == ScalarType.BF16;
    }

    /**
     * {@code body} with f16/bf16 operands extended to f32 (exact) and a f32 result rounded back
     * to the first operand's type: one rounding at the end, as the reference's double does.
     */
    static ElementwiseKernel.Body widened(ElementwiseKernel.Body body) {
        return (b, args) -> {
            List<Value> wide = new ArrayList<>(args.size());
            for (Value a : args) {
                wide.add(isNarrowFloat(elementOf(a)) ? b.cast(a, ScalarType.F32) : a);
            }
            Value r = body.apply(b, wide);
            ScalarType first = elementOf(args.get(0));
            return isNarrowFloat(first) && elementOf(r) == ScalarType.F32 ? b.cast(r, first) : r;
        };
    }

    static Value unary(LoopBuilder b, String fn, Value x) {
        return b.unary("loop." + fn, x);
    }

    static Value lt(LoopBuilder b, Value x, double v) {
        return b.cmp("lt", x, c(b, x, v));
    }

    static Value gt(LoopBuilder b, Value x, double v) {
        return b.cmp("gt", x, c(b, x, v));
    }

    static Value isInf(LoopBuilder b, Value x) {
        return b.create("loop.is_inf", List.of(x), List.of(VectorType.withElement(x.type(), ScalarType.I1)), Map.of(), 0)
                .result();
    }

    static Value and(LoopBuilder b, Value p, Value q) {
        return b.binary("loop.and", p, q);
    }

    /** {@code max(lo, min(hi, x))} with NaN propagated (IEEE minimum/maximum, like Java's Math). */
    static Value clamp(LoopBuilder b, Value x, double lo, double hi) {
        return b.max(c(b, x, lo), b.min(c(b, x, hi), x));
    }

    /**
     * {@code e^x - 1} without cancellation near 0 (Kahan): {@code (u - 1) * x / log(u)} with
     * {@code u = e^x}, which divides out the rounding error of {@code u}; {@code u == 1} gives
     * {@code x}, {@code u - 1 == -1} gives -1 and an infinite {@code u} stays infinite.
     */
    static Value expm1(LoopBuilder b, Value x) {
        Value u = unary(b, "exp", x);
        Value um1 = b.sub(u, c(b, x, 1));
        Value r = b.div(b.mul(um1, x), unary(b, "log", u));
        r = b.select(b.cmp("eq", u, c(b, x, 1)), x, r);
        r = b.select(b.cmp("eq", um1, c(b, x, -1)), um1, r);
        return b.select(isInf(b, u), u, r);
    }

    /** {@code log(1 + u)} accurate for small {@code u} (Goldberg): {@code log(w) * u / (w - 1)}, {@code w = 1 + u}. */
    static Value log1p(LoopBuilder b, Value u) {
        Value w = b.add(c(b, u, 1), u);
        Value r = b.div(b.mul(unary(b, "log", w), u), b.sub(w, c(b, u, 1)));
        r = b.select(b.cmp("eq", w, c(b, u, 1)), u, r);
        return b.select(isInf(b, w), w, r);
    }

    /** {@code 1 / (1 + e^-x)} from one {@code e^-|x|}, so neither branch overflows. */
    static Value sigmoid(LoopBuilder b, Value x) {
        Value e = unary(b, "exp", b.unary("loop.neg", b.unary("loop.abs", x)));
        Value r = b.div(c(b, x, 1), b.add(c(b, x, 1), e));
        return b.select(b.cmp("ge", x, c(b, x, 0)), r, b.mul(e, r));
    }

    /** {@code log(1 + e^x)} as {@code max(x, 0) + log1p(e^-|x|)}: the reference's two branches in one. */
    static Value softplus(LoopBuilder b, Value x) {
        Value e = unary(b, "exp", b.unary("loop.neg", b.unary("loop.abs", x)));
        return b.add(b.max(x, c(b, x, 0)), log1p(b, e));
    }

    /** ONNX Gelu: exact ({@code x * Phi(x)}, see {@link #normalCdf}) or the tanh approximation. */
    static Value gelu(LoopBuilder b, Value x, boolean tanh) {
        if (!tanh) {
            return b.mul(x, normalCdf(b, x));
        }
        Value cube = b.mul(b.mul(x, x), x);
        Value arg = b.mul(c(b, x, Math.sqrt(2 / Math.PI)), b.fma(c(b, x, 0.044715), cube, x));
        return b.mul(b.mul(c(b, x, 0.5), x), b.add(c(b, x, 1), unary(b, "tanh", arg)));
    }

    /**
     * The standard normal CDF {@code Phi(x) = (1 + erf(x / sqrt 2)) / 2}. f64: {@code 1 + erf}
     * above 0 and {@code erfc(-x / sqrt 2) / 2} below, where {@code 1 + erf} would cancel. f32 (and
     * f16/bf16, computed in f32): {@link #normalCdfF32}.
     */
    static Value normalCdf(LoopBuilder b, Value x) {
        if (elementOf(x) == ScalarType.F64) {
            Value upper = b.mul(c(b, x, 0.5), b.add(c(b, x, 1), unary(b, "erf", b.div(x, c(b, x, Math.sqrt(2))))));
            Value lower = b.mul(c(b, x, 0.5), unary(b, "erfc", b.div(b.unary("loop.neg", x), c(b, x, Math.sqrt(2)))));
            return b.select(lt(b, x, 0), lower, upper);
        }
        return normalCdfF32(b, x);
    }

    /** Beyond this |x|, {@code Phi(-|x|) < 3.8e-36} is taken as 0 (GELU below 4.7e-35 in magnitude). */
    private static final float CDF_TAIL_END = 12.5f;
    /**
     * The centre of {@link #CDF_LOG}'s variable {@code t = |x| - 4}: exact for |x| in [2, 8], and
     * rounded by at most 1.2e-7 below 2 (where L' is at most 0.8); a centre further out rounds t
     * more near 0, one nearer lets Horner's terms grow at 12.5.
     */
    private static final float CDF_CENTER = 4f;
    /** {@code log(Phi(-a)) + a^2/2} as a polynomial (degree 16) in {@code a - CDF_CENTER}, a in [0, 12.5]. */
    private static final float[] CDF_LOG = {
        -2.3601015f, -0.22560719f, 0.023336377f, -0.0029759882f, 0.00039612193f, -5.2138155e-05f, 6.571835e-06f,
        -7.657968e-07f, 7.9876784e-08f, -7.339341e-09f, 4.3449827e-10f, 6.39757e-11f, -2.802306e-11f, 4.706729e-12f,
        -4.3409178e-13f, 2.1475394e-14f, -4.4676726e-16f};
    /** {@code e^r} on |r| <= ln2/2 (degree 6, 3.7e-9 relative). */
    private static final float[] EXP_POLY = {
        1.0f, 1.0f, 0.49999988f, 0.16666518f, 0.041669652f, 0.008368951f, 0.0013745041f};
    private static final float LOG2E = 1.442695f;
    /** ln 2 = LN2_HI + LN2_LO; {@code s - k LN2_HI} is exact by one fma (a multiple of 2^-24 below 1/2). */
    private static final float LN2_HI = 0.6931472f;
    private static final float LN2_LO = -1.9046542e-09f;
    /**
     * {@code 1.5 * 2^23 + 127}: adding it rounds {@code s log2 e} to an integer n and leaves
     * {@code n + 127}, the biased exponent of 2^n, in the low mantissa bits.
     */
    private static final float EXP_SHIFTER = 12583039f;

    /**
     * f32 {@code Phi(x)} without division, for the GELU epilogue of a matmul (with the GELU's
     * multiply, 39 vector ops per 16 values in MiniLM's FFN1 kernel, no call; the two-piece form
     * before took 59). One formula for every x:
     * {@code q = Phi(-|x|) = exp(s)} with {@code s = -a^2/2 + L(a)}, a = |x|, L of degree 16 fitting
     * the smooth {@code log(Phi(-a)) + a^2/2} on [0, 12.5]; {@code Phi = q} for x &lt; 0 and
     * {@code 1 - q} (at least 1/2, no cancellation) above. q keeps its relative accuracy deep into
     * the lower tail (where {@code 1 + erf} cancels): s is rounded once by an fma and its rounding
     * error {@code (-a^2/2 - s) + L} (a second fma, then an add of two values of L's size) is added
     * to the exp's reduced argument.
     *
     * <p>The exp ({@link #expOfTail}) is specialised to this range, s in [-81.5, -0.69]: 2^n is a
     * normal f32 (n in [-118, -1]) built by one shift, with no clamp and no two-step scaling; lanes
     * outside it (|x| &gt; 12.5, NaN) compute garbage that the {@code |x| > 12.5} select replaces.
     *
     * <p>Coefficients are least-squares fits on Chebyshev nodes against 30-digit references, rounded
     * to f32 one at a time with the rest refitted. An f32 simulation of exactly these operations
     * (fmas rounded once), against {@code x Phi(x)} in double (scipy {@code ndtr}), is within
     * 4.5e-7 relative of the exact GELU on 2 million uniform and 2 million log-spaced points of
     * [-13, 13] where it exceeds 1e-30 (worst near x = -11.7; the two-piece form this replaces,
     * 5.4e-7); {@code GeluKernelTest} asserts 4.6e-7 on the native kernel (and 5.1e-35 absolute
     * where |GELU| &lt;= 1e-30). |x| &gt; 12.5 gives
     * {@code Phi = 0 or 1} (so {@code gelu(-inf)} is NaN, as the reference's {@code -inf * 0}); NaN
     * stays NaN.
     */
    private static Value normalCdfF32(LoopBuilder b, Value x) {
        Value a = b.unary("loop.abs", x);
        Value l = polynomial(b, b.sub(a, c(b, x, CDF_CENTER)), CDF_LOG);
        Value halfA = b.mul(a, c(b, x, -0.5));
        Value s = b.fma(a, halfA, l);
        Value err = b.add(b.fma(a, halfA, b.unary("loop.neg", s)), l);
        Value q = b.select(gt(b, a, CDF_TAIL_END), c(b, x, 0), expOfTail(b, s, err));
        // x >= 0 picks 1 - q (NaN picks q, NaN too): one sub merge-masked into q.
        return b.select(b.cmp("ge", x, c(b, x, 0)), b.sub(c(b, x, 1), q), q);
    }

    /**
     * {@code e^(s + err)} for s in about [-87.3, 0] (n = round(s log2 e) in [-126, 0]) and a small
     * err: {@code s = n ln2 + r} (r exact, |r| &lt;= ln2/2), {@code e^(r + err - n LN2_LO)} by a
     * polynomial, times 2^n made from the shifter's bits by one shift. Outside that range the
     * result is meaningless (2^n wraps); callers select it away.
     */
    private static Value expOfTail(LoopBuilder b, Value s, Value err) {
        Value shifted = b.fma(s, c(b, s, LOG2E), c(b, s, EXP_SHIFTER));
        Value n = b.sub(shifted, c(b, s, EXP_SHIFTER));
        Value r = b.fma(n, c(b, s, -LN2_HI), s);
        Value low = b.fma(n, c(b, s, -LN2_LO), err);
        Value e = polynomial(b, b.add(r, low), EXP_POLY);
        Value bits = b.bitcast(shifted, ScalarType.I32);
        Value scale = b.bitcast(b.binary("loop.shl", bits, b.constant(bits.type(), 23L)), ScalarType.F32);
        return b.mul(e, scale);
    }

    /** {@code k[0] + u (k[1] + u (k[2] + ...))} by Horner's scheme with fmas. */
    private static Value polynomial(LoopBuilder b, Value u, float[] k) {
        Value acc = c(b, u, k[k.length - 1]);
        for (int i = k.length - 2; i >= 0; i--) {
            acc = b.fma(acc, u, c(b, u, k[i]));
        }
        return acc;
    }

    /**
     * An i1 constant (scalar or splat vector) with {@code like}'s lane count: a u8 constant cast
     * to i1, since {@code loop.constant} takes no i1 value (IntegerAttr excludes i1).
     */
    static Value boolConstant(LoopBuilder b, Value like, boolean value) {
        return b.cast(b.constant(VectorType.withElement(like.type(), ScalarType.U8), value ? 1L : 0L), ScalarType.I1);
    }
}
