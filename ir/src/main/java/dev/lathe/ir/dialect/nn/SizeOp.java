package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.size}: the number of elements of {@code x} as a rank-0 i64 tensor. Any element type.
 *
 * <p>{@code %1 = "nn.size"(%0) : (tensor<2x?xf32>) -> tensor<i64>}
 *
 * <p>Folds to a constant when {@code x} has a static shape.
 */
public final class SizeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.size";

    private static final TensorType RESULT = TensorType.of(ScalarType.I64);

    public SizeOp() {
        super(NAME, "the number of elements of a tensor as an i64 scalar", OpSchema.of(1), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        NnTypes.tensor(operandTypes, 0);
        return List.of(RESULT);
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        TensorType x = (TensorType) op.operand(0).type();
        return x.hasStaticShape() ? List.of(FoldResult.constant(DenseElementsAttr.fromLongs(RESULT, x.numElements())))
                : null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        return List.of(DenseElementsAttr.fromLongs(RESULT, operands.get(0).numElements()));
    }
}
