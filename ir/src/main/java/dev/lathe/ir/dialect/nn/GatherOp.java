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
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.gather}: ONNX Gather. Picks slices of {@code data} along {@code axis} (integer,
 * default 0) at {@code indices} (a tensor of any integer type, any rank; negatives count from
 * the end; an index out of range is an error at run time, where ONNX leaves the result
 * undefined). The result shape is {@code data.shape[:axis] + indices.shape + data.shape[axis+1:]}.
 * Any element type for {@code data}.
 *
 * <p>{@code %2 = "nn.gather"(%0, %1) {axis = 1} : (tensor<3x3xf32>, tensor<1x2xi64>) -> tensor<3x1x2xf32>}
 */
public final class GatherOp extends AbstractOpDefinition {

    public static final String NAME = "nn.gather";

    public GatherOp() {
        super(NAME, "picks slices along one axis at the given indices",
                OpSchema.of(2, AttrSpec.optional("axis", IntegerAttr.class)), Set.of(Trait.PURE));
    }

    static TensorType indices(List<Type> operandTypes, int i) {
        TensorType t = NnTypes.tensor(operandTypes, i);
        if (!t.elementType().isInteger() || t.elementType() == ScalarType.I1) {
            throw new InvalidOpException("expects integer indices (operand #" + i + "), found " + t.text());
        }
        return t;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType data = NnTypes.tensor(operandTypes, 0);
        TensorType idx = indices(operandTypes, 1);
        int axis = ShapeSupport.axis(ShapeSupport.integer(attributes, "axis", 0), data.rank(), "axis");
        long[] d = data.shapeArray();
        long[] shape = new long[d.length - 1 + idx.rank()];
        System.arraycopy(d, 0, shape, 0, axis);
        System.arraycopy(idx.shapeArray(), 0, shape, axis, idx.rank());
        System.arraycopy(d, axis + 1, shape, axis + idx.rank(), d.length - axis - 1);
        return List.of(NnTypes.type(data.elementType(), shape));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr data = operands.get(0);
        DenseElementsAttr idx = operands.get(1);
        long[] d = data.type().shapeArray();
        int axis = ShapeSupport.axis(ShapeSupport.integer(op.attributes(), "axis", 0), d.length, "axis");
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < d.length; i++) {
            outer *= i < axis ? d[i] : 1;
            inner *= i > axis ? d[i] : 1;
        }
        long[] index = idx.toLongs();
        for (int k = 0; k < index.length; k++) {
            index[k] = ShapeSupport.index(index[k], d[axis], "index");
        }
        long[] shape = ((TensorType) inferResultTypes(List.of(data.type(), idx.type()), op.attributes()).get(0))
                .shapeArray();
        int[] source = new int[IndexMath.count(shape)];
        int pos = 0;
        for (long o = 0; o < outer; o++) {
            for (long k : index) {
                for (long j = 0; j < inner; j++) {
                    source[pos++] = (int) ((o * d[axis] + k) * inner + j);
                }
            }
        }
        return List.of(NnTypes.gather(data, shape, source));
    }
}
