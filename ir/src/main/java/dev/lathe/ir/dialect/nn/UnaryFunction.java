package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.ElementKinds.BOOL;
import static dev.lathe.ir.dialect.nn.ElementKinds.FLOATS;
import static dev.lathe.ir.dialect.nn.ElementKinds.NUMERIC;
import static dev.lathe.ir.dialect.nn.ElementKinds.SIGNED;

import dev.lathe.ir.type.ScalarType.Kind;
import java.util.List;
import java.util.Set;

/**
 * The table behind {@link UnaryMathOp}: one row per elementwise function of one tensor, with
 * its op name, the element kinds it accepts, its float attributes (name and default, as in
 * ONNX) and its scalar function. Floats are computed in double on the attribute values and
 * rounded once to the element type. Integer elements use {@link IntFn} when the row has one
 * (exact, wrapping to the width); otherwise the double result is truncated toward zero, as
 * ONNX Runtime's {@code static_cast} does (e.g. {@code shrink} with a fractional {@code bias}).
 */
enum UnaryFunction {
    ABS("abs", "|x|", NUMERIC, Fold.IDEMPOTENT, (x, p) -> Math.abs(x), (x, unsigned) -> unsigned ? x : Math.abs(x)),
    NEG("neg", "-x", SIGNED, Fold.INVOLUTION, (x, p) -> -x, (x, unsigned) -> -x),
    SIGN("sign", "-1, 0 or 1 by the sign of x (NaN stays NaN; -0.0 gives 0.0, as numpy)", NUMERIC, Fold.IDEMPOTENT,
            (x, p) -> x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x,
            (x, unsigned) -> unsigned ? (x != 0 ? 1 : 0) : Long.signum(x)),
    CEIL("ceil", "smallest integer >= x", FLOATS, Fold.IDEMPOTENT, (x, p) -> Math.ceil(x), null),
    FLOOR("floor", "largest integer <= x", FLOATS, Fold.IDEMPOTENT, (x, p) -> Math.floor(x), null),
    ROUND("round", "nearest integer, halves to even", FLOATS, Fold.IDEMPOTENT, (x, p) -> Math.rint(x), null),
    EXP("exp", "e^x", FLOATS, (x, p) -> Math.exp(x)),
    LOG("log", "natural logarithm (log 0 = -Inf, log of a negative = NaN)", FLOATS, (x, p) -> Math.log(x)),
    SQRT("sqrt", "square root (NaN for negatives)", FLOATS, (x, p) -> Math.sqrt(x)),
    RECIPROCAL("reciprocal", "1 / x", FLOATS, (x, p) -> 1 / x),
    SIN("sin", "sine", FLOATS, (x, p) -> Math.sin(x)),
    COS("cos", "cosine", FLOATS, (x, p) -> Math.cos(x)),
    TAN("tan", "tangent", FLOATS, (x, p) -> Math.tan(x)),
    ASIN("asin", "arcsine", FLOATS, (x, p) -> Math.asin(x)),
    ACOS("acos", "arccosine", FLOATS, (x, p) -> Math.acos(x)),
    ATAN("atan", "arctangent", FLOATS, (x, p) -> Math.atan(x)),
    SINH("sinh", "hyperbolic sine", FLOATS, (x, p) -> Math.sinh(x)),
    COSH("cosh", "hyperbolic cosine", FLOATS, (x, p) -> Math.cosh(x)),
    TANH("tanh", "hyperbolic tangent", FLOATS, (x, p) -> Math.tanh(x)),
    ASINH("asinh", "inverse hyperbolic sine", FLOATS, (x, p) -> UnaryFunction.asinh(x)),
    ACOSH("acosh", "inverse hyperbolic cosine (NaN below 1)", FLOATS,
            (x, p) -> Math.log(x + Math.sqrt(x * x - 1))),
    ATANH("atanh", "inverse hyperbolic tangent", FLOATS, (x, p) -> 0.5 * Math.log1p(2 * x / (1 - x))),
    SIGMOID("sigmoid", "1 / (1 + e^-x)", FLOATS,
            (x, p) -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
    ERF("erf", "the error function", NUMERIC, (x, p) -> Erf.erf(x)),
    SOFTPLUS("softplus", "log(1 + e^x)", FLOATS,
            (x, p) -> x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
    SOFTSIGN("softsign", "x / (1 + |x|)", FLOATS, (x, p) -> x / (1 + Math.abs(x))),
    IS_NAN("is_nan", "x is NaN (i1 result)", FLOATS, (x, p) -> Double.isNaN(x) ? 1 : 0),
    /** Attributes {@code detect_negative}, {@code detect_positive} (booleans, default true). */
    IS_INF("is_inf", "x is an infinity of a detected sign (i1 result)", FLOATS, (x, p) ->
            (x == Double.NEGATIVE_INFINITY && p[0] != 0) || (x == Double.POSITIVE_INFINITY && p[1] != 0) ? 1 : 0,
            new Param("detect_negative", 1, true), new Param("detect_positive", 1, true)),
    NOT("not", "logical not of i1", BOOL, Fold.INVOLUTION, (x, p) -> x == 0 ? 1 : 0, (x, unsigned) -> x ^ 1),
    HARD_SIGMOID("hard_sigmoid", "max(0, min(1, alpha * x + beta))", FLOATS,
            (x, p) -> Math.max(0, Math.min(1, p[0] * x + p[1])), new Param("alpha", 0.2f), new Param("beta", 0.5f)),
    HARD_SWISH("hard_swish", "x * max(0, min(1, x / 6 + 0.5))", FLOATS,
            (x, p) -> x * Math.max(0, Math.min(1, x / 6 + 0.5))),
    LEAKY_RELU("leaky_relu", "x >= 0 ? x : alpha * x", FLOATS, (x, p) -> x < 0 ? p[0] * x : x,
            new Param("alpha", 0.01f)),
    ELU("elu", "x >= 0 ? x : alpha * (e^x - 1)", FLOATS, (x, p) -> x < 0 ? p[0] * Math.expm1(x) : x,
            new Param("alpha", 1.0f)),
    SELU("selu", "gamma * (x > 0 ? x : alpha * (e^x - 1))", FLOATS,
            (x, p) -> x > 0 ? p[1] * x : p[1] * p[0] * Math.expm1(x),
            new Param("alpha", 1.67326319217681884765625f), new Param("gamma", 1.05070102214813232421875f)),
    CELU("celu", "max(0, x) + min(0, alpha * (e^(x / alpha) - 1))", FLOATS,
            (x, p) -> Math.max(0, x) + Math.min(0, p[0] * Math.expm1(x / p[0])), new Param("alpha", 1.0f)),
    THRESHOLDED_RELU("thresholded_relu", "x > alpha ? x : 0", FLOATS, (x, p) -> x > p[0] ? x : 0,
            new Param("alpha", 1.0f)),
    SHRINK("shrink", "x < -lambd ? x + bias : x > lambd ? x - bias : 0", NUMERIC,
            (x, p) -> x < -p[1] ? x + p[0] : x > p[1] ? x - p[0] : 0, new Param("bias", 0.0f),
            new Param("lambd", 0.5f));

    /** An attribute of the function: a float (f32, as ONNX gives it) or a boolean. */
    record Param(String name, double defaultValue, boolean isBool) {
        Param(String name, float defaultValue) {
            this(name, defaultValue, false);
        }
    }

    /** The function on double, with the attribute values in {@link #params} order (booleans as 0/1). */
    @FunctionalInterface
    interface FloatFn {
        double apply(double x, double[] params);
    }

    /** The function on an integer element as {@link dev.lathe.ir.attr.DenseElementsAttr#getLong} reads it. */
    @FunctionalInterface
    interface IntFn {
        long apply(long x, boolean unsigned);
    }

    /** Exact folds: {@code f(f(x)) = f(x)} or {@code f(f(x)) = x}, bit for bit. */
    enum Fold { NONE, IDEMPOTENT, INVOLUTION }

    final String opName;
    final String summary;
    final Set<Kind> kinds;
    final Fold fold;
    final FloatFn floatFn;
    final IntFn intFn;
    final List<Param> params;

    UnaryFunction(String name, String summary, Set<Kind> kinds, Fold fold, FloatFn floatFn, IntFn intFn) {
        this.opName = "nn." + name;
        this.summary = summary;
        this.kinds = kinds;
        this.fold = fold;
        this.floatFn = floatFn;
        this.intFn = intFn;
        this.params = List.of();
    }

    UnaryFunction(String name, String summary, Set<Kind> kinds, FloatFn floatFn, Param... params) {
        this.opName = "nn." + name;
        this.summary = summary;
        this.kinds = kinds;
        this.fold = Fold.NONE;
        this.floatFn = floatFn;
        this.intFn = null;
        this.params = List.of(params);
    }

    /** Whether the result is i1 whatever the operand (the predicates {@code is_nan}, {@code is_inf}). */
    boolean isPredicate() {
        return this == IS_NAN || this == IS_INF;
    }

    /** asinh without cancellation for negative x: an odd function. */
    private static double asinh(double x) {
        double a = Math.abs(x);
        double r = a > 1e150 ? Math.log(a) + Math.log(2) : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return Math.copySign(r, x);
    }
}
