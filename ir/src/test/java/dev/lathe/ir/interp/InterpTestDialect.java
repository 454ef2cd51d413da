package dev.lathe.ir.interp;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.Dialect;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Set;

/**
 * Ops for interpreter tests, in the dialect {@code test_interp}: control flow through regions
 * ({@code if}, {@code repeat}, {@code yield}), an op without reference semantics
 * ({@code opaque}) and an op whose semantics disagree with its declared type ({@code make}).
 */
final class InterpTestDialect implements Dialect {

    static final String IF = "test_interp.if";
    static final String REPEAT = "test_interp.repeat";
    static final String YIELD = "test_interp.yield";
    static final String OPAQUE = "test_interp.opaque";
    static final String MAKE = "test_interp.make";
    static final String LEAK = "test_interp.leak";

    /** The runner {@code test_interp.leak} kept past its evaluate call. */
    static volatile RegionRunner leaked;

    /** Registers the dialect in the global registry (once; later calls do nothing). */
    static void register() {
        DialectRegistry.global().register(new InterpTestDialect());
    }

    @Override
    public String namespace() {
        return "test_interp";
    }

    @Override
    public List<OpDefinition> operations() {
        return List.of(new IfOp(), new RepeatOp(), new LeakOp(),
                new AbstractOpDefinition(YIELD, "yields its operands from a region",
                        OpSchema.of(0).withOperands(0, OpSchema.VARIADIC).withResults(0),
                        Set.of(Trait.TERMINATOR, Trait.PURE)) {},
                new AbstractOpDefinition(OPAQUE, "an op without reference semantics", OpSchema.of(1),
                        Set.of(Trait.PURE)) {},
                new MakeOp());
    }

    /** {@code if(cond : tensor<i1>)}: runs region 0 when cond is true, else region 1; yields their values. */
    static final class IfOp extends AbstractOpDefinition implements EvaluatesRegions {
        IfOp() {
            super(IF, "runs one of two regions", new OpSchema(1, 1, OpSchema.VARIADIC, 2, List.of(), false),
                    Set.of());
        }

        @Override
        public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands, RegionRunner regions) {
            boolean cond = operands.get(0).getLong(0) != 0;
            return regions.run(op.region(cond ? 0 : 1), List.of());
        }
    }

    /** {@code repeat(x) {times = N}}: x, then N times x = region(x). */
    static final class RepeatOp extends AbstractOpDefinition implements EvaluatesRegions {
        RepeatOp() {
            super(REPEAT, "runs its region N times on a carried value",
                    OpSchema.of(1, AttrSpec.required("times", IntegerAttr.class)).withRegions(1), Set.of());
        }

        @Override
        public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands, RegionRunner regions) {
            DenseElementsAttr x = operands.get(0);
            long times = ((IntegerAttr) op.attr("times")).value();
            for (long i = 0; i < times; i++) {
                x = regions.run(op.region(0), List.of(x)).get(0);
            }
            return List.of(x);
        }
    }

    /** Keeps the runner it is given in {@link #leaked}, and returns its operand. */
    static final class LeakOp extends AbstractOpDefinition implements EvaluatesRegions {
        LeakOp() {
            super(LEAK, "misuses its region runner", OpSchema.of(1).withRegions(1), Set.of());
        }

        @Override
        public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands, RegionRunner regions) {
            leaked = regions;
            return List.of(operands.get(0));
        }
    }

    /** {@code make() {shape = [...]}}: zeros of that shape in f32, whatever type the op declares. */
    static final class MakeOp extends AbstractOpDefinition {
        MakeOp() {
            super(MAKE, "f32 zeros of the shape attribute", OpSchema.of(0, AttrSpec.required("shape", ArrayAttr.class)),
                    Set.of(Trait.PURE));
        }

        @Override
        public boolean hasReferenceSemantics() {
            return true;
        }

        @Override
        public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
            long[] shape = ((ArrayAttr) op.attr("shape")).asLongs();
            return List.of(DenseElementsAttr.splat(TensorType.of(ScalarType.F32, shape), 0.0));
        }
    }
}
