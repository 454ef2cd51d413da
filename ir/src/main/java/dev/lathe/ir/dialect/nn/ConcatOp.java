package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
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
 * {@code nn.concat}: joins one or more tensors along {@code axis} (integer, required; negatives
 * count from the end). Operands have one element type (any) and one rank, and equal sizes in
 * every other dim ({@code ?} agrees with anything; the result takes the static size).
 *
 * <p>{@code %2 = "nn.concat"(%0, %1) {axis = 1} : (tensor<2x3xf32>, tensor<2x?xf32>) -> tensor<2x?xf32>}
 *
 * <p>Folds a concat of one operand to that operand.
 */
public final class ConcatOp extends AbstractOpDefinition {

    public static final String NAME = "nn.concat";

    public ConcatOp() {
        super(NAME, "joins tensors along one axis",
                OpSchema.of(1, AttrSpec.required("axis", IntegerAttr.class)).withOperands(1, OpSchema.VARIADIC),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType first = NnTypes.tensor(operandTypes, 0);
        int rank = first.rank();
        int axis = ShapeSupport.axis(ShapeSupport.integer(attributes, "axis", 0), rank, "axis");
        long[] shape = first.shapeArray();
        for (int i = 1; i < operandTypes.size(); i++) {
            TensorType t = NnTypes.tensor(operandTypes, i);
            NnTypes.requireSameElementType(first, t);
            if (t.rank() != rank) {
                throw new InvalidOpException("expects operands of one rank, found " + first.text() + " and " + t.text());
            }
            for (int d = 0; d < rank; d++) {
                long a = shape[d];
                long b = t.dim(d);
                if (d == axis) {
                    shape[d] = ShapeSupport.known(a) && ShapeSupport.known(b) ? a + b : TensorType.DYNAMIC;
                } else if (ShapeSupport.known(a) && ShapeSupport.known(b) && a != b) {
                    throw new InvalidOpException("expects operands to agree in every dim but axis " + axis
                            + ", found " + first.text() + " and " + t.text() + " (dim " + d + ")");
                } else if (!ShapeSupport.known(a)) {
                    shape[d] = b;
                }
            }
        }
        return List.of(NnTypes.type(first.elementType(), shape));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return op.numOperands() == 1 && op.operand(0).type() == op.result().type()
                ? List.of(FoldResult.existing(op.operand(0))) : null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        TensorType type = (TensorType) inferResultTypes(operands.stream().map(a -> (Type) a.type()).toList(),
                op.attributes()).get(0);
        long[] shape = type.shapeArray();
        int axis = ShapeSupport.axis(ShapeSupport.integer(op.attributes(), "axis", 0), shape.length, "axis");
        int size = type.elementType().byteSize();
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        byte[] out = new byte[IndexMath.count(shape) * size];
        byte[][] data = new byte[operands.size()][];
        int[] chunk = new int[operands.size()];
        for (int k = 0; k < operands.size(); k++) {
            data[k] = operands.get(k).toBytes();
            chunk[k] = outer == 0 ? 0 : (int) (data[k].length / outer);
        }
        int pos = 0;
        for (long o = 0; o < outer; o++) {
            for (int k = 0; k < data.length; k++) {
                System.arraycopy(data[k], (int) (o * chunk[k]), out, pos, chunk[k]);
                pos += chunk[k];
            }
        }
        return List.of(ShapeSupport.fromBytes(type.elementType(), shape, out));
    }
}
