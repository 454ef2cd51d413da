package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.lp_normalization}: ONNX LpNormalization, {@code x / ||x||_p} along one dim.
 * Attributes {@code axis} (integer, default -1) and {@code p} (1 or 2, default 2). Float element
 * types; the result type is the operand type.
 *
 * <p>{@code %y = "nn.lp_normalization"(%x) {axis = 1, p = 2} : (tensor<2x3xf32>) -> tensor<2x3xf32>}
 *
 * <p>Numerics: in double, rounded once. A zero norm divides by zero ({@code 0/0 = NaN}), as
 * ONNX's reference does; ONNX leaves it open.
 */
public final class LpNormalizationOp extends AbstractOpDefinition {

    public static final String NAME = "nn.lp_normalization";

    public LpNormalizationOp() {
        super(NAME, "divides x by its L1 or L2 norm along an axis",
                OpSchema.of(1, AttrSpec.optional("axis", IntegerAttr.class), AttrSpec.optional("p", IntegerAttr.class)),
                Set.of(Trait.PURE));
    }

    private static long p(Map<String, Attribute> attributes) {
        long p = ReductionMath.integer(attributes, "p", 2);
        if (p != 1 && p != 2) {
            throw new InvalidOpException("expects p = 1 or 2, found " + p);
        }
        return p;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "an operand");
        ReductionMath.axis(ReductionMath.integer(attributes, "axis", -1), x.rank(), "axis");
        p(attributes);
        return List.of(x);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] shape = x.type().shapeArray();
        int axis = ReductionMath.axis(ReductionMath.integer(op.attributes(), "axis", -1), shape.length, "axis");
        ReduceKind norm = p(op.attributes()) == 1 ? ReduceKind.L1 : ReduceKind.L2;
        ReductionMath.Groups groups = ReductionMath.Groups.of(shape, ReductionMath.single(shape.length, axis));
        double[] y = new double[(int) x.numElements()];
        for (int g = 0; g < groups.count(); g++) {
            double n = norm.reduce(groups.doubles(x, g));
            for (int i : groups.members()[g]) {
                y[i] = x.getDouble(i) / n;
            }
        }
        return List.of(NnTypes.floats(x.elementType(), shape, y));
    }
}
