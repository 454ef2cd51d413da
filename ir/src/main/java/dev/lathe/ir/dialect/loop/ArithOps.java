package dev.lathe.ir.dialect.loop;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scalar and vector arithmetic: the elementwise families (one definition per row of
 * {@link #BINARY} and {@link #UNARY}) and {@code constant}, {@code fma}, {@code cmp},
 * {@code select}, {@code cast}, {@code bitcast}, {@code broadcast}, {@code reduce}.
 */
final class ArithOps {

    private ArithOps() {}

    /** Which element types an op accepts. */
    enum Elements {
        FLOAT("a float"),
        /** Integers (signed, unsigned, index), not i1. */
        INTEGER("an integer other than i1"),
        /** Integers and i1. */
        BITS("an integer or i1"),
        /** Floats and integers, not i1. */
        NUMBER("a float or an integer other than i1");

        final String description;

        Elements(String description) {
            this.description = description;
        }

        boolean accepts(ScalarType t) {
            return switch (this) {
                case FLOAT -> t.isFloat();
                case INTEGER -> t.isInteger() && t != ScalarType.I1;
                case BITS -> t.isInteger();
                case NUMBER -> t != ScalarType.I1;
            };
        }
    }

    static final Map<String, Elements> BINARY = Map.ofEntries(
            Map.entry("loop.add", Elements.NUMBER), Map.entry("loop.sub", Elements.NUMBER),
            Map.entry("loop.mul", Elements.NUMBER), Map.entry("loop.div", Elements.NUMBER),
            Map.entry("loop.rem", Elements.NUMBER), Map.entry("loop.min", Elements.NUMBER),
            Map.entry("loop.max", Elements.NUMBER), Map.entry("loop.pow", Elements.FLOAT),
            Map.entry("loop.atan2", Elements.FLOAT), Map.entry("loop.and", Elements.BITS),
            Map.entry("loop.or", Elements.BITS), Map.entry("loop.xor", Elements.BITS),
            Map.entry("loop.shl", Elements.INTEGER), Map.entry("loop.shr", Elements.INTEGER));

    static final Map<String, Elements> UNARY;

    static {
        var unary = new java.util.HashMap<String, Elements>();
        unary.put("loop.neg", Elements.NUMBER);
        unary.put("loop.abs", Elements.NUMBER);
        unary.put("loop.not", Elements.BITS);
        for (String f : List.of("exp", "log", "sqrt", "tanh", "erf", "erfc", "sin", "cos", "tan", "asin", "acos", "atan",
                "sinh", "cosh", "asinh", "acosh", "atanh", "floor", "ceil", "round", "trunc")) {
            unary.put("loop." + f, Elements.FLOAT);
        }
        UNARY = Map.copyOf(unary);
    }

    static final Set<String> PREDICATES = Set.of("eq", "ne", "lt", "le", "gt", "ge");
    static final Set<String> REDUCTIONS = Set.of("add", "mul", "min", "max");

    static List<OpDefinition> all() {
        List<OpDefinition> all = new ArrayList<>();
        BINARY.forEach((name, el) -> all.add(new Elementwise(name, 2, el, false)));
        UNARY.forEach((name, el) -> all.add(new Elementwise(name, 1, el, false)));
        all.add(new Elementwise("loop.is_nan", 1, Elements.FLOAT, true));
        all.add(new Elementwise("loop.is_inf", 1, Elements.FLOAT, true));
        all.add(new Elementwise(LoopOps.FMA, 3, Elements.FLOAT, false));
        all.addAll(List.of(new Constant(), new Cmp(), new Select(), new Cast(), new Bitcast(), new Broadcast(),
                new Reduce()));
        return all;
    }

    private static void checkElements(ScalarType t, Elements el, String role) {
        if (!el.accepts(t)) {
            throw new InvalidOpException(role + " must be " + el.description + ", found " + t.text());
        }
    }

    /** Operands and result share one scalar or vector type (the result is i1-like for predicates). */
    static final class Elementwise extends AbstractOpDefinition {
        private final int arity;
        private final Elements elements;
        private final boolean predicate;

        Elementwise(String name, int arity, Elements elements, boolean predicate) {
            super(name, "elementwise " + name.substring("loop.".length()), OpSchema.of(arity), Set.of(Trait.PURE));
            this.arity = arity;
            this.elements = elements;
            this.predicate = predicate;
        }

        @Override
        public void verify(Operation op) {
            List<Type> t = op.operandTypes();
            ScalarType et = LoopTypes.scalarOrVector(t, 0, "operand #0");
            checkElements(et, elements, "operand type");
            for (int i = 1; i < arity; i++) {
                LoopTypes.sameType(t, 0, i);
            }
            Type expected = predicate ? LoopTypes.predicateLike(t.get(0)) : t.get(0);
            if (op.result().type() != expected) {
                throw new InvalidOpException("result must be " + expected.text() + ", found " + op.result().type().text());
            }
        }
    }

    static final class Constant extends AbstractOpDefinition {
        Constant() {
            super(LoopOps.CONSTANT, "a scalar or splat vector constant",
                    OpSchema.of(0, AttrSpec.required("value", Attribute.class)), Set.of(Trait.PURE, Trait.CONSTANT_LIKE));
        }

        @Override
        public void verify(Operation op) {
            ScalarType et = LoopTypes.scalarOrVector(op.resultTypes(), 0, "result");
            ScalarType valueType = switch (op.attr("value")) {
                case IntegerAttr i -> i.type();
                case FloatAttr f -> f.type();
                default -> throw new InvalidOpException("'value' must be an integer or float attribute, found "
                        + op.attr("value"));
            };
            if (valueType != et) {
                throw new InvalidOpException("'value' has type " + valueType.text() + " but the result's element type is "
                        + et.text());
            }
        }
    }

    static final class Cmp extends AbstractOpDefinition {
        Cmp() {
            super(LoopOps.CMP, "compares two scalars or vectors", OpSchema.of(2, AttrSpec.required("predicate", StringAttr.class)),
                    Set.of(Trait.PURE));
        }

        @Override
        public void verify(Operation op) {
            String p = ((StringAttr) op.attr("predicate")).value();
            if (!PREDICATES.contains(p)) {
                throw new InvalidOpException("'predicate' must be one of eq, ne, lt, le, gt, ge; found '" + p + "'");
            }
            LoopTypes.scalarOrVector(op.operandTypes(), 0, "operand #0");
            LoopTypes.sameType(op.operandTypes(), 0, 1);
            Type expected = LoopTypes.predicateLike(op.operand(0).type());
            if (op.result().type() != expected) {
                throw new InvalidOpException("result must be " + expected.text() + ", found " + op.result().type().text());
            }
        }
    }

    static final class Select extends AbstractOpDefinition {
        Select() {
            super(LoopOps.SELECT, "picks the second or third operand by the first", OpSchema.of(3), Set.of(Trait.PURE));
        }

        @Override
        public void verify(Operation op) {
            List<Type> t = op.operandTypes();
            LoopTypes.scalarOrVector(t, 1, "operand #1");
            LoopTypes.sameType(t, 1, 2);
            if (t.get(0) != LoopTypes.predicateLike(t.get(1))) {
                throw new InvalidOpException("condition must be " + LoopTypes.predicateLike(t.get(1)).text() + ", found "
                        + t.get(0).text());
            }
            if (op.result().type() != t.get(1)) {
                throw new InvalidOpException("result must be " + t.get(1).text() + ", found " + op.result().type().text());
            }
        }
    }

    /** Shared by {@code cast} and {@code bitcast}: scalar to scalar, or vector to vector of one length. */
    private static void checkConversion(Operation op) {
        Type from = op.operand(0).type();
        Type to = op.result().type();
        LoopTypes.scalarOrVector(List.of(from), 0, "operand");
        LoopTypes.scalarOrVector(List.of(to), 0, "result");
        int fromLanes = from instanceof VectorType v ? v.length() : 0;
        int toLanes = to instanceof VectorType v ? v.length() : 0;
        if (fromLanes != toLanes) {
            throw new InvalidOpException("converts " + from.text() + " to " + to.text()
                    + "; expected scalars, or vectors of one length");
        }
    }

    static final class Cast extends AbstractOpDefinition {
        Cast() {
            super(LoopOps.CAST, "converts a value to another element type", OpSchema.of(1), Set.of(Trait.PURE));
        }

        @Override
        public void verify(Operation op) {
            checkConversion(op);
        }
    }

    static final class Bitcast extends AbstractOpDefinition {
        Bitcast() {
            super(LoopOps.BITCAST, "reinterprets the bits as another element type of the same width", OpSchema.of(1),
                    Set.of(Trait.PURE));
        }

        @Override
        public void verify(Operation op) {
            checkConversion(op);
            ScalarType from = VectorType.scalarOf(op.operand(0).type());
            ScalarType to = VectorType.scalarOf(op.result().type());
            if (from.byteSize() != to.byteSize() || from == ScalarType.I1 || to == ScalarType.I1) {
                throw new InvalidOpException("bitcast from " + from.text() + " to " + to.text()
                        + "; expected element types of one bit width (not i1)");
            }
        }
    }

    static final class Broadcast extends AbstractOpDefinition {
        Broadcast() {
            super(LoopOps.BROADCAST, "a vector with every lane the scalar", OpSchema.of(1), Set.of(Trait.PURE));
        }

        @Override
        public void verify(Operation op) {
            Type in = op.operand(0).type();
            if (!(in instanceof ScalarType s) || s == ScalarType.INDEX) {
                throw new InvalidOpException("operand must be a scalar element type, found " + in.text());
            }
            if (!(op.result().type() instanceof VectorType v) || v.elementType() != s) {
                throw new InvalidOpException("result must be a vector of " + s.text() + ", found " + op.result().type().text());
            }
        }
    }

    static final class Reduce extends AbstractOpDefinition {
        Reduce() {
            super(LoopOps.REDUCE, "combines the lanes of a vector in a fixed order",
                    OpSchema.of(1, AttrSpec.required("kind", StringAttr.class)), Set.of(Trait.PURE));
        }

        @Override
        public void verify(Operation op) {
            String kind = ((StringAttr) op.attr("kind")).value();
            if (!REDUCTIONS.contains(kind)) {
                throw new InvalidOpException("'kind' must be one of add, mul, min, max; found '" + kind + "'");
            }
            if (!(op.operand(0).type() instanceof VectorType v)) {
                throw new InvalidOpException("operand must be a vector, found " + op.operand(0).type().text());
            }
            checkElements(v.elementType(), Elements.NUMBER, "operand element type");
            if (op.result().type() != v.elementType()) {
                throw new InvalidOpException("result must be " + v.elementType().text() + ", found "
                        + op.result().type().text());
            }
        }
    }
}
