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
     * The standard normal CDF {@code Phi(x) = (1 + erf(x / sqrt 2)) / 2}. For x below about -2
     * {@code 1 + erf} cancels (at x = -6 every f32 digit), so the lower tail is
     * {@code erfc(-x / sqrt 2) / 2}: f64 through {@code loop.erfc}, f32 from the continued fraction
     * {@code erfc(z) = e^(-z^2) / sqrt(pi) / (z + (1/2) / (z + 1 / (z + (3/2) / ...)))} cut at 24
     * terms, which is within 3e-8 relative for z >= 1.5 (x <= -2.12); {@code e^(-z^2)} takes
     * {@code x^2} split exactly in two (fma), so the exponent's rounding does not grow with x.
     */
    static Value normalCdf(LoopBuilder b, Value x) {
        Value upper = b.mul(c(b, x, 0.5), b.add(c(b, x, 1), unary(b, "erf", b.div(x, c(b, x, Math.sqrt(2))))));
        if (elementOf(x) == ScalarType.F64) {
            Value lower = b.mul(c(b, x, 0.5), unary(b, "erfc", b.div(b.unary("loop.neg", x), c(b, x, Math.sqrt(2)))));
            return b.select(lt(b, x, 0), lower, upper);
        }
        double threshold = -1.5 * Math.sqrt(2);
        Value xt = b.min(x, c(b, x, threshold)); // keeps the unused lanes' arithmetic finite
        Value z = b.div(b.unary("loop.neg", xt), c(b, x, Math.sqrt(2)));
        // The fraction's 24th convergent num/den by the forward three-term recurrence: two fmas a
        // term and one division at the end, where the backward evaluation divides 24 times (a
        // chain of dependent divisions made a GELU epilogue cost more than the matmul under it).
        // All terms are positive, so nothing cancels: within 7e-7 relative of the f64 fraction.
        // z is capped at 11 (num ~ z^24 stays finite); beyond it e^(-z^2) is 0 in f32 anyway.
        Value zc = b.min(z, c(b, x, 11));
        Value numPrev = c(b, x, 1);
        Value num = zc;
        Value denPrev = c(b, x, 0);
        Value den = c(b, x, 1);
        for (int k = 1; k <= 24; k++) {
            Value a = c(b, x, k / 2.0);
            Value nextNum = b.fma(zc, num, b.mul(a, numPrev));
            Value nextDen = k == 1 ? zc : b.fma(zc, den, b.mul(a, denPrev));
            numPrev = num;
            num = nextNum;
            denPrev = den;
            den = nextDen;
        }
        Value hi = b.mul(xt, xt);
        Value lo = b.fma(xt, xt, b.unary("loop.neg", hi));
        Value gauss = b.mul(unary(b, "exp", b.mul(hi, c(b, x, -0.5))), b.fma(lo, c(b, x, -0.5), c(b, x, 1)));
        Value lower = b.div(b.mul(b.mul(gauss, c(b, x, 0.5 / Math.sqrt(Math.PI))), den), num);
        return b.select(lt(b, x, threshold), lower, upper);
    }

    /**
     * An i1 constant (scalar or splat vector) with {@code like}'s lane count: a u8 constant cast
     * to i1, since {@code loop.constant} takes no i1 value (IntegerAttr excludes i1).
     */
    static Value boolConstant(LoopBuilder b, Value like, boolean value) {
        return b.cast(b.constant(VectorType.withElement(like.type(), ScalarType.U8), value ? 1L : 0L), ScalarType.I1);
    }
}
