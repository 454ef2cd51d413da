package dev.lathe.passes.lower.ops;

import static dev.lathe.passes.lower.ops.ElementwiseMath.c;
import static dev.lathe.passes.lower.ops.ElementwiseMath.clamp;
import static dev.lathe.passes.lower.ops.ElementwiseMath.expm1;
import static dev.lathe.passes.lower.ops.ElementwiseMath.gt;
import static dev.lathe.passes.lower.ops.ElementwiseMath.lt;
import static dev.lathe.passes.lower.ops.ElementwiseMath.unary;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.ElementwiseKernel;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.Lowerings;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The rows of nn's unary function table ({@code nn.abs} ... {@code nn.shrink}, see
 * {@code UnaryFunction}): one scalar/vector body each, attributes read with the table's defaults
 * (f32 values, as ONNX gives them). Floats compute in the element type (f16/bf16 in f32); the
 * rows that also take integers use their exact integer rule, or, like the reference, go through
 * double and truncate ({@code erf}, {@code shrink}).
 */
final class ElementwiseUnaryLowerings {

    private ElementwiseUnaryLowerings() {}

    static void register(Lowerings r) {
        for (String fn : new String[] {"ceil", "floor", "round", "exp", "log", "sqrt", "sin", "cos", "tan", "asin",
                "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh"}) {
            floats(r, fn, op -> (b, x) -> unary(b, fn, x));
        }
        floats(r, "reciprocal", op -> (b, x) -> b.div(c(b, x, 1), x));
        floats(r, "sigmoid", op -> ElementwiseMath::sigmoid);
        floats(r, "softplus", op -> ElementwiseMath::softplus);
        floats(r, "softsign", op -> (b, x) -> b.div(x, b.add(c(b, x, 1), b.unary("loop.abs", x))));
        floats(r, "hard_sigmoid", op -> {
            double alpha = floatAttr(op, "alpha", 0.2f);
            double beta = floatAttr(op, "beta", 0.5f);
            return (b, x) -> clamp(b, b.fma(c(b, x, alpha), x, c(b, x, beta)), 0, 1);
        });
        // x / 6 as the reference writes it: fma(x, 1/6, 0.5) is not 0 at x = -3.
        floats(r, "hard_swish", op -> (b, x) -> b.mul(x, clamp(b, b.add(b.div(x, c(b, x, 6)), c(b, x, 0.5)), 0, 1)));
        floats(r, "leaky_relu", op -> {
            double alpha = floatAttr(op, "alpha", 0.01f);
            return (b, x) -> b.select(lt(b, x, 0), b.mul(c(b, x, alpha), x), x);
        });
        floats(r, "elu", op -> {
            double alpha = floatAttr(op, "alpha", 1.0f);
            return (b, x) -> b.select(lt(b, x, 0), b.mul(c(b, x, alpha), expm1(b, x)), x);
        });
        floats(r, "selu", op -> {
            double alpha = floatAttr(op, "alpha", 1.67326319217681884765625f);
            double gamma = floatAttr(op, "gamma", 1.05070102214813232421875f);
            return (b, x) -> {
                Value negative = b.mul(c(b, x, alpha), expm1(b, x)); // alpha * e^x - alpha cancels near 0
                return b.mul(c(b, x, gamma), b.select(gt(b, x, 0), x, negative));
            };
        });
        floats(r, "celu", op -> {
            double alpha = floatAttr(op, "alpha", 1.0f);
            return (b, x) -> b.add(b.max(x, c(b, x, 0)),
                    b.min(c(b, x, 0), b.mul(c(b, x, alpha), expm1(b, b.div(x, c(b, x, alpha))))));
        });
        floats(r, "thresholded_relu", op -> {
            double alpha = floatAttr(op, "alpha", 1.0f);
            return (b, x) -> b.select(gt(b, x, alpha), x, c(b, x, 0));
        });
        registerPredicates(r);
        registerNumeric(r);
    }

    /** Rows with an i1 result: {@code is_nan}, {@code is_inf} (by the detected signs). */
    private static void registerPredicates(Lowerings r) {
        floats(r, "is_nan", op -> (b, x) -> b.isNan(x));
        floats(r, "is_inf", op -> {
            boolean negative = boolAttr(op, "detect_negative", true);
            boolean positive = boolAttr(op, "detect_positive", true);
            return (b, x) -> {
                if (!negative && !positive) {
                    return ElementwiseMath.boolConstant(b, x, false);
                }
                Value inf = ElementwiseMath.isInf(b, x);
                return negative && positive ? inf : ElementwiseMath.and(b, inf, positive ? gt(b, x, 0) : lt(b, x, 0));
            };
        });
    }

    /** Rows that also take integers (and {@code not} on i1). */
    private static void registerNumeric(Lowerings r) {
        numeric(r, "abs", (b, x) -> ElementwiseMath.elementOf(x).isUnsigned() ? x : b.unary("loop.abs", x));
        numeric(r, "neg", (b, x) -> b.unary("loop.neg", x));
        // -1, 0 or 1; unsigned never compares below 0; NaN stays NaN, -0.0 gives 0.0
        numeric(r, "sign", (b, x) -> {
            if (ElementwiseMath.elementOf(x).isUnsigned()) {
                return b.select(gt(b, x, 0), c(b, x, 1), c(b, x, 0));
            }
            Value s = b.select(gt(b, x, 0), c(b, x, 1), b.select(lt(b, x, 0), c(b, x, -1), c(b, x, 0)));
            return ElementwiseMath.elementOf(x).isFloat() ? b.select(b.isNan(x), x, s) : s;
        });
        numeric(r, "not", (b, x) -> b.unary("loop.not", x));
        viaDouble(r, "erf", op -> (b, x) -> unary(b, "erf", x));
        viaDouble(r, "shrink", op -> {
            double bias = floatAttr(op, "bias", 0.0f);
            double lambd = floatAttr(op, "lambd", 0.5f);
            return (b, x) -> b.select(lt(b, x, -lambd), b.add(x, c(b, x, bias)),
                    b.select(gt(b, x, lambd), b.sub(x, c(b, x, bias)), c(b, x, 0)));
        });
    }

    /** A float-only row: f16/bf16 computed in f32. */
    private static void floats(Lowerings r, String name, Function<Operation, BiFunction<LoopBuilder, Value, Value>> fn) {
        r.register("nn." + name, ElementwiseLowerings.elementwise(op -> ElementwiseMath.widened(unaryBody(fn.apply(op)))));
    }

    /** A row whose one body serves floats and integers (loop ops take signedness from the type). */
    private static void numeric(Lowerings r, String name, BiFunction<LoopBuilder, Value, Value> fn) {
        r.register("nn." + name, ElementwiseLowerings.elementwise(op -> ElementwiseMath.widened(unaryBody(fn))));
    }

    /**
     * A row defined on double: integers are converted to f64, computed, and truncated toward
     * zero into i64 (saturating, NaN to 0, as Java's {@code (long)}) then wrapped to the width.
     */
    private static void viaDouble(Lowerings r, String name, Function<Operation, BiFunction<LoopBuilder, Value, Value>> fn) {
        r.register("nn." + name, ElementwiseLowerings.elementwise(op -> {
            BiFunction<LoopBuilder, Value, Value> f = fn.apply(op);
            ElementwiseKernel.Body floats = ElementwiseMath.widened(unaryBody(f));
            return (b, args) -> {
                ScalarType et = ElementwiseMath.elementOf(args.get(0));
                if (et.isFloat()) {
                    return floats.apply(b, args);
                }
                Value y = f.apply(b, CastLowering.convert(b, args.get(0), ScalarType.F64));
                return b.cast(b.cast(y, ScalarType.I64), et);
            };
        }));
    }

    private static ElementwiseKernel.Body unaryBody(BiFunction<LoopBuilder, Value, Value> fn) {
        return (b, args) -> fn.apply(b, args.get(0));
    }

    /** A float attribute, or {@code defaultValue} (an f32 default, widened exactly). */
    static double floatAttr(Operation op, String name, double defaultValue) {
        Attribute a = op.attributes().get(name);
        return switch (a) {
            case null -> defaultValue;
            case FloatAttr f -> f.value();
            case IntegerAttr i -> i.value();
            default -> throw new IllegalArgumentException(op.name() + ": attribute '" + name + "' must be a float, found "
                    + a.text());
        };
    }

    static boolean boolAttr(Operation op, String name, boolean defaultValue) {
        Attribute a = op.attributes().get(name);
        return a instanceof BoolAttr bool ? bool.value() : defaultValue;
    }
}
