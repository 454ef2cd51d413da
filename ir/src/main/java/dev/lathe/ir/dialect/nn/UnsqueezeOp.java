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
 * {@code nn.unsqueeze}: inserts size-1 dims. Static form {@code nn.unsqueeze(%x) {axes = [...]}}
 * (array of integers, required): positions in the <em>result</em>, of rank
 * {@code rank(x) + n}; negatives count from its end; no duplicates; any order. Dynamic form
 * {@code nn.unsqueeze(%x, %axes)}: a 1-D integer operand of static length n read at run time;
 * every result dim is then {@code ?}. Any element type.
 *
 * <p>{@code %1 = "nn.unsqueeze"(%0) {axes = [0, 4]} : (tensor<3x4x5xf32>) -> tensor<1x3x4x5x1xf32>}
 *
 * <p>Folds {@code axes = []} to its operand.
 */
public final class UnsqueezeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.unsqueeze";

    public UnsqueezeOp() {
        super(NAME, "inserts size-1 dims at the given result positions",
                OpSchema.of(1, AttrSpec.optional("axes", ArrayAttr.class)).withOperands(1, 2), Set.of(Trait.PURE));
    }

    private static long[] unsqueezed(long[] shape, long[] axes) {
        int rank = shape.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int axis = ShapeSupport.axis(a, rank, "axis");
            if (inserted[axis]) {
                throw new InvalidOpException("axes " + NnTypes.text(axes) + " names dimension " + axis + " twice");
            }
            inserted[axis] = true;
        }
        long[] out = new long[rank];
        for (int d = 0, k = 0; d < rank; d++) {
            out[d] = inserted[d] ? 1 : shape[k++];
        }
        return out;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        if (operandTypes.size() > 1) {
            long n = ShapeSupport.integerOperand(operandTypes, 1, 1, "axes").dim(0);
            if (!ShapeSupport.known(n)) {
                throw new InvalidOpException("expects an axes operand of static length, found "
                        + operandTypes.get(1).text());
            }
            return List.of(ShapeSupport.dynamic(x.elementType(), x.rank() + (int) n));
        }
        long[] axes = NnTypes.longs(attributes, "axes");
        if (axes == null) {
            throw new InvalidOpException("requires attribute 'axes' (or an axes operand)");
        }
        return List.of(NnTypes.type(x.elementType(), unsqueezed(x.shapeArray(), axes)));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        long[] axes = NnTypes.longs(op.attributes(), "axes");
        return op.numOperands() == 1 && axes != null && axes.length == 0 && op.operand(0).type() == op.result().type()
                ? List.of(FoldResult.existing(op.operand(0))) : null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] axes = operands.size() > 1 ? operands.get(1).toLongs() : NnTypes.longs(op.attributes(), "axes");
        try {
            return List.of(x.reshape(NnTypes.type(x.elementType(), unsqueezed(x.type().shapeArray(), axes))));
        } catch (InvalidOpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
