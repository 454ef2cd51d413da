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

    /** Below this |x| the f32 CDF is the odd polynomial {@link #CDF_ODD}. */
    private static final float CDF_CENTRAL_END = 1.4142135f;
    /** {@code (Phi(x) - 1/2) / x} as a polynomial in {@code x^2}, x^2 in [0, 2] (f32 coefficients). */
    private static final float[] CDF_ODD = {
        0.3989423f, -0.066490546f, 0.009974181f, -0.00118822f, 1.1587804e-04f, -9.35235e-06f, 5.1231103e-07f};
    /** The tail's fitted range of |x| ends here; beyond it {@code Phi(-|x|) < 4e-36} is taken as 0. */
    private static final float CDF_TAIL_END = 12.5f;
    private static final float CDF_TAIL_CENTER = 6.9571066f;
    /** {@code log(Phi(-a)) + a^2/2} as a polynomial in {@code a - CDF_TAIL_CENTER}, a in [sqrt 2, 12.5]. */
    private static final float[] CDF_TAIL_LOG = {
        -2.878391f, -0.1383333f, 0.009232598f, -7.940115e-04f, 7.422544e-05f, -7.186525e-06f, 7.1250975e-07f,
        -6.703129e-08f, 5.4814455e-09f, -5.9707345e-10f, 8.2516945e-11f, -5.2517222e-12f};

    /**
     * f32 {@code Phi(x)} without division, for the GELU epilogue of a matmul (about 45 vector ops
     * for 16 values, one of them an exp; the erf + continued-fraction form it replaces cost four
     * divisions and ~200 ops). Both pieces are computed and one is selected:
     * <ul>
     *   <li>{@code |x| < sqrt 2}: {@code 1/2 + x P(x^2)}, P of degree 6.
     *   <li>else {@code q = Phi(-|x|) = exp(-a^2/2 + L(a))}, L of degree 11 fitting the smooth
     *       {@code log(Phi(-a)) + a^2/2}; {@code Phi = q} for x &lt; 0, {@code 1 - q} above. q keeps
     *       its relative accuracy deep into the lower tail (where {@code 1 + erf} cancels): the
     *       exponent {@code s = -a^2/2 + L} is rounded once by an fma and its rounding error
     *       {@code (-a^2/2 - s) + L} (a second fma, then an add of two values of L's size)
     *       multiplies {@code e^s} as {@code 1 + err}.
     * </ul>
     * Coefficients are least-squares fits on Chebyshev nodes against 30-digit references, rounded
     * to f32 one at a time with the rest refitted. Simulated in f32 with an exact exp, {@code x Phi(x)}
     * is within 4.9e-7 relative of the exact GELU for every |x| <= 13 where it exceeds 1e-30
     * (worst near x = -7.2); the f32 exp adds at most one ulp. |x| &gt; 12.5 gives
     * {@code Phi = 0 or 1} (so {@code gelu(-inf)} is NaN, as the reference's {@code -inf * 0}); NaN
     * stays NaN.
     */
    private static Value normalCdfF32(LoopBuilder b, Value x) {
        Value a = b.unary("loop.abs", x);
        Value central = b.fma(x, polynomial(b, b.mul(x, x), CDF_ODD), c(b, x, 0.5));
        Value beyond = gt(b, a, CDF_TAIL_END);
        Value ac = b.select(beyond, c(b, x, CDF_TAIL_END), a); // keeps the unused lanes' arithmetic finite
        Value l = polynomial(b, b.sub(ac, c(b, x, CDF_TAIL_CENTER)), CDF_TAIL_LOG);
        Value halfA = b.mul(ac, c(b, x, -0.5));
        Value s = b.fma(ac, halfA, l);
        Value err = b.add(b.fma(ac, halfA, b.unary("loop.neg", s)), l);
        Value e = unary(b, "exp", s);
        Value q = b.select(beyond, c(b, x, 0), b.fma(e, err, e));
        Value tail = b.select(lt(b, x, 0), q, b.sub(c(b, x, 1), q));
        return b.select(lt(b, a, CDF_CENTRAL_END), central, tail);
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
