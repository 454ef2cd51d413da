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
 * {@code nn.squeeze}: removes size-1 dims. Static form {@code nn.squeeze(%x) {axes = [...]}}
 * (array of integers, required; negatives count from the end; no duplicates; each named dim must
 * be 1, or {@code ?} and then 1 at run time). ONNX's "no axes: every size-1 dim" is resolved by
 * the importer. Dynamic form {@code nn.squeeze(%x, %axes)}: a 1-D integer operand of static
 * length n read at run time; the result has rank {@code rank(x) - n}, every dim {@code ?}. Any
 * element type.
 *
 * <p>{@code %1 = "nn.squeeze"(%0) {axes = [0, -2]} : (tensor<1x3x1x5xf32>) -> tensor<3x5xf32>}
 *
 * <p>Folds {@code axes = []} to its operand.
 */
public final class SqueezeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.squeeze";

    public SqueezeOp() {
        super(NAME, "removes the given size-1 dims",
                OpSchema.of(1, AttrSpec.optional("axes", ArrayAttr.class)).withOperands(1, 2), Set.of(Trait.PURE));
    }

    /** Which dims of {@code shape} the axes remove, checked ({@code ?} dims pass). */
    static boolean[] removed(long[] shape, long[] axes) {
        boolean[] out = new boolean[shape.length];
        for (long a : axes) {
            int axis = ShapeSupport.axis(a, shape.length, "axis");
            if (out[axis]) {
                throw new InvalidOpException("axes " + NnTypes.text(axes) + " names dimension " + axis + " twice");
            }
            if (shape[axis] != 1 && ShapeSupport.known(shape[axis])) {
                throw new InvalidOpException("axes " + NnTypes.text(axes) + " removes dimension " + axis
                        + " of size " + shape[axis] + "; only size-1 dims can be removed");
            }
            out[axis] = true;
        }
        return out;
    }

    private static long[] squeezed(long[] shape, long[] axes) {
        boolean[] gone = removed(shape, axes);
        return java.util.stream.IntStream.range(0, shape.length).filter(d -> !gone[d]).mapToLong(d -> shape[d]).toArray();
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        if (operandTypes.size() > 1) {
            long n = ShapeSupport.integerOperand(operandTypes, 1, 1, "axes").dim(0);
            if (!ShapeSupport.known(n) || n > x.rank()) {
                throw new InvalidOpException("expects an axes operand of static length at most " + x.rank() + ", found "
                        + operandTypes.get(1).text());
            }
            return List.of(ShapeSupport.dynamic(x.elementType(), x.rank() - (int) n));
        }
        long[] axes = NnTypes.longs(attributes, "axes");
        if (axes == null) {
            throw new InvalidOpException("requires attribute 'axes' (or an axes operand)");
        }
        return List.of(NnTypes.type(x.elementType(), squeezed(x.shapeArray(), axes)));
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
            return List.of(x.reshape(NnTypes.type(x.elementType(), squeezed(x.type().shapeArray(), axes))));
        } catch (InvalidOpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
