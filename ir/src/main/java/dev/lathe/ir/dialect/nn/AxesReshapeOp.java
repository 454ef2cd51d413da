package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code nn.squeeze} and {@code nn.unsqueeze} share: an {@code axes} attribute (static form)
 * or a 1-D integer operand of static length (dynamic form, all result dims {@code ?}), a result
 * that is the operand's elements under a new shape, and a fold of {@code axes = []}. A subclass
 * says how the axes change the shape.
 */
abstract sealed class AxesReshapeOp extends AbstractOpDefinition permits SqueezeOp, UnsqueezeOp {

    AxesReshapeOp(String name, String summary) {
        super(name, summary, OpSchema.of(1, AttrSpec.optional("axes", ArrayAttr.class)).withOperands(1, 2),
                Set.of(Trait.PURE));
    }

    /** The result shape for {@code shape} and {@code axes}, checked. */
    abstract long[] resultShape(long[] shape, long[] axes);

    /** The result rank of the dynamic form with {@code n} axes, or an InvalidOpException. */
    abstract int dynamicRank(TensorType x, long n);

    @Override
    public final List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        if (operandTypes.size() > 1) {
            long n = ShapeSupport.integerOperand(operandTypes, 1, 1, "axes").dim(0);
            if (!ShapeSupport.known(n)) {
                throw new InvalidOpException("expects an axes operand of static length, found "
                        + operandTypes.get(1).text());
            }
            return List.of(ShapeSupport.dynamic(x.elementType(), dynamicRank(x, n)));
        }
        long[] axes = NnTypes.longs(attributes, "axes");
        if (axes == null) {
            throw new InvalidOpException("requires attribute 'axes' (or an axes operand)");
        }
        return List.of(NnTypes.type(x.elementType(), resultShape(x.shapeArray(), axes)));
    }

    @Override
    public final List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        long[] axes = NnTypes.longs(op.attributes(), "axes");
        return op.numOperands() == 1 && axes != null && axes.length == 0 && op.operand(0).type() == op.result().type()
                ? List.of(FoldResult.existing(op.operand(0))) : null;
    }

    @Override
    public final boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public final List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] axes = operands.size() > 1 ? operands.get(1).toLongs() : NnTypes.longs(op.attributes(), "axes");
        try {
            return List.of(x.reshape(NnTypes.type(x.elementType(), resultShape(x.type().shapeArray(), axes))));
        } catch (InvalidOpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
