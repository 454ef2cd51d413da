package dev.lathe.passes.testing;

import dev.lathe.ir.Location;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.Dialect;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.rewrite.ConstantMaterializer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tiny dialect {@code tst} for driver tests, independent of {@code nn}: a constant, a
 * commutative add that folds, a unary op without folds, and an op with side effects.
 */
public final class TestDialect implements Dialect {

    /** Registers the dialect once into the global registry; call before building IR. */
    public static void register() {
        DialectRegistry.global().register(new TestDialect());
    }

    /** Materializes folded constants as {@code tst.const}. */
    public static final ConstantMaterializer MATERIALIZER = (value, location) -> Operation.create("tst.const",
            List.of(), List.of(ConstantMaterializer.typeOf(value)), Map.of("value", value), location);

    @Override
    public String namespace() {
        return "tst";
    }

    @Override
    public List<OpDefinition> operations() {
        return List.of(new Simple("tst.const", 0, 1, Set.of(Trait.PURE, Trait.CONSTANT_LIKE)),
                new Add(),
                new Simple("tst.neg", 1, 1, Set.of(Trait.PURE)),
                new Simple("tst.a", 1, 1, Set.of(Trait.PURE)),
                new Simple("tst.b", 1, 1, Set.of(Trait.PURE)),
                new Simple("tst.effect", 1, 0, Set.of()));
    }

    /** An op with a fixed operand and result count and no rules of its own. */
    record Simple(String name, int operands, int results, Set<Trait> traits) implements OpDefinition {
        @Override
        public OpSchema schema() {
            return OpSchema.of(operands).withResults(results);
        }
    }

    /** {@code tst.add}: folds two constants to their sum, and {@code x + 0} to {@code x}. */
    static final class Add implements OpDefinition {
        @Override
        public String name() {
            return "tst.add";
        }

        @Override
        public OpSchema schema() {
            return OpSchema.of(2, AttrSpec.optional("tag", Attribute.class));
        }

        @Override
        public Set<Trait> traits() {
            return Set.of(Trait.PURE, Trait.COMMUTATIVE);
        }

        @Override
        public List<FoldResult> fold(Operation op, List<Attribute> constants) {
            if (constants.get(0) instanceof DenseElementsAttr a && constants.get(1) instanceof DenseElementsAttr b) {
                double[] x = a.toDoubles();
                double[] y = b.toDoubles();
                for (int i = 0; i < x.length; i++) {
                    x[i] += y[i];
                }
                return List.of(FoldResult.constant(DenseElementsAttr.fromDoubles(a.type(), x)));
            }
            if (constants.get(1) instanceof DenseElementsAttr b && b.isSplat() && b.getDouble(0) == 0) {
                return List.of(FoldResult.existing(op.operand(0)));
            }
            return null;
        }
    }

    public static DenseElementsAttr splat(double v) {
        return DenseElementsAttr.splat(TensorType.of(dev.lathe.ir.type.ScalarType.F32, 2), v);
    }

    public static Type t2() {
        return TensorType.of(dev.lathe.ir.type.ScalarType.F32, 2);
    }

    public static Location loc(int line) {
        return Location.of("test.lir", line, 1);
    }
}
