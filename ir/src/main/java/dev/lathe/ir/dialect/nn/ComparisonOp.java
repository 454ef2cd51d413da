package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.ScalarType.Kind;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The broadcasting predicates of two tensors, with an i1 result: comparisons
 * ({@code nn.equal}, {@code nn.less}, {@code nn.less_or_equal}, {@code nn.greater},
 * {@code nn.greater_or_equal}) and the logical ops on i1 ({@code nn.and}, {@code nn.or},
 * {@code nn.xor}). One definition per row of {@link Predicate}.
 *
 * <p>{@code %2 = "nn.less"(%0, %1) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>}
 *
 * <p>Operands have one element type; shapes broadcast as numpy. Floats compare as IEEE-754
 * (every comparison with NaN is false, {@code -0.0 == 0.0}); unsigned integers compare as
 * unsigned. {@code nn.equal} also takes i1; the logical ops take only i1.
 */
public final class ComparisonOp extends AbstractOpDefinition {

    /** The table: op name, accepted element kinds, and the test on floats and on integers. */
    enum Predicate {
        EQUAL("equal", true, ElementKinds.ANY, (a, b) -> a == b, (c, a, b) -> c == 0),
        LESS("less", false, ElementKinds.NUMERIC, (a, b) -> a < b, (c, a, b) -> c < 0),
        LESS_OR_EQUAL("less_or_equal", false, ElementKinds.NUMERIC, (a, b) -> a <= b, (c, a, b) -> c <= 0),
        GREATER("greater", false, ElementKinds.NUMERIC, (a, b) -> a > b, (c, a, b) -> c > 0),
        GREATER_OR_EQUAL("greater_or_equal", false, ElementKinds.NUMERIC, (a, b) -> a >= b, (c, a, b) -> c >= 0),
        AND("and", true, ElementKinds.BOOL, null, (c, a, b) -> (a & b) != 0),
        OR("or", true, ElementKinds.BOOL, null, (c, a, b) -> (a | b) != 0),
        XOR("xor", true, ElementKinds.BOOL, null, (c, a, b) -> (a ^ b) != 0);

        final String opName;
        final boolean commutative;
        final Set<Kind> kinds;
        final FloatTest floatTest;
        final IntTest intTest;

        Predicate(String name, boolean commutative, Set<Kind> kinds, FloatTest floatTest, IntTest intTest) {
            this.opName = "nn." + name;
            this.commutative = commutative;
            this.kinds = kinds;
            this.floatTest = floatTest;
            this.intTest = intTest;
        }
    }

    @FunctionalInterface
    interface FloatTest {
        boolean test(double a, double b);
    }

    /** A test on integers given also their comparison {@code c} (signed or unsigned, by type). */
    @FunctionalInterface
    interface IntTest {
        boolean test(int c, long a, long b);
    }

    private final Predicate predicate;

    ComparisonOp(Predicate predicate) {
        super(predicate.opName, predicate.opName.substring(3) + " of two tensors, numpy broadcasting, i1 result",
                OpSchema.of(2), traits(predicate.commutative));
        this.predicate = predicate;
    }

    static List<OpDefinition> all() {
        return Arrays.stream(Predicate.values()).map(p -> (OpDefinition) new ComparisonOp(p)).toList();
    }

    private static Set<Trait> traits(boolean commutative) {
        EnumSet<Trait> t = EnumSet.of(Trait.PURE, Trait.ELEMENTWISE, Trait.BROADCASTING);
        if (commutative) {
            t.add(Trait.COMMUTATIVE);
        }
        return t;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        List<TensorType> types = ElementKinds.sameElementType(operandTypes, 0, 2);
        ElementKinds.require(types.get(0), predicate.kinds, "");
        return List.of(ElementKinds.broadcast(types, ScalarType.I1));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        inferResultTypes(operands.stream().map(v -> (Type) v.type()).toList(), op.attributes());
        DenseElementsAttr a = operands.get(0);
        DenseElementsAttr b = operands.get(1);
        long[] shape = ElementKinds.shape(operands);
        int[][] maps = ElementKinds.maps(operands, shape);
        ScalarType et = a.elementType();
        long[] out = new long[maps[0].length];
        for (int i = 0; i < out.length; i++) {
            boolean r;
            if (et.isFloat()) {
                r = predicate.floatTest.test(a.getDouble(maps[0][i]), b.getDouble(maps[1][i]));
            } else {
                long x = a.getLong(maps[0][i]);
                long y = b.getLong(maps[1][i]);
                r = predicate.intTest.test(ElementKinds.compareIntegers(x, y, et), x, y);
            }
            out[i] = r ? 1 : 0;
        }
        return List.of(NnTypes.integers(ScalarType.I1, shape, out));
    }
}
