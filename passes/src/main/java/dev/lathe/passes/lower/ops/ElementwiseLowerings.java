package dev.lathe.passes.lower.ops;

import static dev.lathe.passes.lower.ops.ElementwiseMath.c;
import static dev.lathe.passes.lower.ops.ElementwiseMath.elementOf;
import static dev.lathe.passes.lower.ops.ElementwiseMath.widened;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.FusedOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.ElementwiseKernel;
import dev.lathe.passes.lower.ElementwiseOpLowering;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.Lowerings;
import dev.lathe.passes.lower.OpLowering;
import java.util.List;
import java.util.function.Function;

/**
 * Elementwise {@code nn} ops: each is a scalar function handed to {@link ElementwiseKernel},
 * which broadcasts, vectorizes and parallelizes. Here: arithmetic, {@code mod}, {@code pow},
 * {@code bit_shift}, comparisons and logic, the variadic max/min/sum/mean, {@code where},
 * {@code prelu}, {@code relu}, {@code gelu}; the unary table is in
 * {@link ElementwiseUnaryLowerings}, {@code cast} in {@link CastLowering}, {@code dropout} in
 * {@link ElementwiseDropoutLowering}. Floats narrower than f32 compute in f32 and round once.
 */
public final class ElementwiseLowerings {

    private ElementwiseLowerings() {}

    public static void register(Lowerings r) {
        r.register("nn.add", elementwise(widened((b, a) -> b.add(a.get(0), a.get(1)))));
        r.register("nn.sub", elementwise(widened((b, a) -> b.sub(a.get(0), a.get(1)))));
        r.register("nn.mul", elementwise(widened((b, a) -> b.mul(a.get(0), a.get(1)))));
        r.register("nn.div", elementwise(widened((b, a) -> {
            if (!elementOf(a.get(1)).isFloat()) {
                ElementwiseIntegerMath.assertNonZero(b, a.get(1), "'nn.div': integer division by zero");
            }
            return b.div(a.get(0), a.get(1));
        })));
        r.register("nn.mod", elementwise(op -> widened(mod(bool(op, "fmod")))));
        r.register("nn.pow", elementwise((b, a) -> pow(b, a.get(0), a.get(1))));
        r.register("nn.bit_shift", elementwise(op -> {
            String shift = ((StringAttr) op.attributes().get("direction")).value().equals("left") ? "loop.shl" : "loop.shr";
            return (b, a) -> b.binary(shift, a.get(0), a.get(1));
        }));
        r.register("nn.relu", elementwise(widened((b, a) -> b.max(a.get(0), c(b, a.get(0), 0)))));
        r.register("nn.prelu", elementwise(widened((b, a) -> {
            Value x = a.get(0);
            return elementOf(x).isUnsigned() ? x : b.select(b.cmp("lt", x, c(b, x, 0)), b.mul(a.get(1), x), x);
        })));
        r.register("nn.gelu", elementwise(op -> {
            Object mode = op.attributes().get("approximate");
            boolean tanh = mode instanceof StringAttr s && s.value().equals("tanh");
            return widened((b, a) -> ElementwiseMath.gelu(b, a.get(0), tanh));
        }));
        r.register("nn.where", elementwise((b, a) -> b.select(a.get(0), a.get(1), a.get(2))));
        for (String p : new String[] {"equal:eq", "less:lt", "less_or_equal:le", "greater:gt", "greater_or_equal:ge"}) {
            String[] nameAndPredicate = p.split(":");
            r.register("nn." + nameAndPredicate[0],
                    elementwise(widened((b, a) -> b.cmp(nameAndPredicate[1], a.get(0), a.get(1)))));
        }
        for (String logic : new String[] {"and", "or", "xor"}) {
            r.register("nn." + logic, elementwise((b, a) -> b.binary("loop." + logic, a.get(0), a.get(1))));
        }
        variadic(r, "nn.max", (b, x, y) -> b.max(x, y), false);
        variadic(r, "nn.min", (b, x, y) -> b.min(x, y), false);
        variadic(r, "nn.sum", (b, x, y) -> b.add(x, y), false);
        variadic(r, "nn.mean", (b, x, y) -> b.add(x, y), true);
        r.register("nn.cast", new CastLowering());
        r.register("nn.dropout", new ElementwiseDropoutLowering());
        r.register(FusedOp.NAME, new FusedLowering(r));
        ElementwiseUnaryLowerings.register(r);
    }

    /** An elementwise lowering that may overwrite operand 0 when it dies (same shape and type). */
    static OpLowering elementwise(ElementwiseKernel.Body body) {
        return elementwise(op -> body);
    }

    /** As {@link #elementwise(ElementwiseKernel.Body)}, the body built from the op's attributes. */
    static OpLowering elementwise(Function<Operation, ElementwiseKernel.Body> bodyOf) {
        return new ElementwiseOpLowering() {
            @Override
            public ElementwiseKernel.Body body(Operation op) {
                return bodyOf.apply(op);
            }

            @Override
            public boolean mayRunInPlace(Operation op) {
                return true;
            }
        };
    }

    /** {@code nn.mod}: fmod on floats; on integers the sign of the dividend (fmod) or the divisor. */
    private static ElementwiseKernel.Body mod(boolean fmod) {
        return (b, a) -> {
            Value x = a.get(0);
            Value y = a.get(1);
            ScalarType et = elementOf(x);
            if (et.isFloat()) {
                return b.rem(x, y);
            }
            ElementwiseIntegerMath.assertNonZero(b, y, "'nn.mod': integer modulo by zero");
            return fmod || et.isUnsigned() ? b.rem(x, y) : ElementwiseIntegerMath.floorMod(b, x, y);
        };
    }

    /**
     * {@code nn.pow}: a float base with an exponent of its own type uses {@code loop.pow} (f16 and
     * bf16 in f32); mixed types compute in f64 as the reference does, rounded once to a float
     * base or truncated (saturating) to an integer one; integer by integer is exact.
     */
    private static Value pow(LoopBuilder b, Value base, Value exponent) {
        ScalarType bt = elementOf(base);
        ScalarType et = elementOf(exponent);
        if (bt.isFloat() && bt == et) {
            return widened((wb, a) -> wb.binary("loop.pow", a.get(0), a.get(1))).apply(b, List.of(base, exponent));
        }
        if (!bt.isFloat() && !et.isFloat()) {
            return ElementwiseIntegerMath.power(b, base, exponent, bt);
        }
        Value r = b.binary("loop.pow", CastLowering.convert(b, base, ScalarType.F64),
                CastLowering.convert(b, exponent, ScalarType.F64));
        return bt.isFloat() ? b.cast(r, bt) : b.cast(b.cast(r, ScalarType.I64), bt);
    }

    /** A reduction across the operands, left to right (mean divides the sum by their count). */
    private static void variadic(Lowerings r, String name, Combine combine, boolean mean) {
        r.register(name, elementwise(widened((b, a) -> {
            Value acc = a.get(0);
            for (int k = 1; k < a.size(); k++) {
                acc = combine.apply(b, acc, a.get(k));
            }
            return mean ? b.div(acc, c(b, acc, a.size())) : acc;
        })));
    }

    @FunctionalInterface
    private interface Combine {
        Value apply(LoopBuilder b, Value x, Value y);
    }

    private static boolean bool(Operation op, String name) {
        return op.attributes().get(name) instanceof BoolAttr a && a.value();
    }
}
