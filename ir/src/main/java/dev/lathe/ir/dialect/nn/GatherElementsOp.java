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
 * {@code nn.gather_elements}: ONNX GatherElements. {@code out[i][j][k] = data[index][j][k]} for
 * {@code axis = 0} with {@code index = indices[i][j][k]}, likewise for other axes. {@code indices}
 * (any integer type) has the rank of {@code data} and gives the result shape; negatives count
 * from the end, and an index out of range is an error at run time. Attribute {@code axis}
 * (integer, default 0). Any element type for {@code data}.
 *
 * <p>{@code %2 = "nn.gather_elements"(%0, %1) {axis = 1} : (tensor<2x2xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>}
 */
public final class GatherElementsOp extends AbstractOpDefinition {

    public static final String NAME = "nn.gather_elements";

    public GatherElementsOp() {
        super(NAME, "picks elements along one axis at indices of the result's shape",
                OpSchema.of(2, AttrSpec.optional("axis", IntegerAttr.class)), Set.of(Trait.PURE));
    }

    /** Checks that {@code indices} has the rank of {@code data}; returns the normalized axis. */
    static int checkedAxis(TensorType data, TensorType indices, Map<String, Attribute> attributes) {
        if (indices.rank() != data.rank()) {
            throw new InvalidOpException("expects indices of the rank of data, found " + data.text() + " and "
                    + indices.text());
        }
        return ShapeSupport.axis(ShapeSupport.integer(attributes, "axis", 0), data.rank(), "axis");
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType data = NnTypes.tensor(operandTypes, 0);
        TensorType idx = GatherOp.indices(operandTypes, 1);
        checkedAxis(data, idx, attributes);
        return List.of(idx.withElementType(data.elementType()));
    }

    /**
     * For every element of {@code indices} (row-major), the flat position in a tensor of
     * {@code shape} that it addresses: its own coordinates with the one along {@code axis}
     * replaced by the index. Shared with {@code nn.scatter_elements}.
     */
    static int[] targets(long[] shape, DenseElementsAttr indices, int axis) {
        long[] ishape = indices.type().shapeArray();
        long[] strides = IndexMath.strides(shape);
        long[] own = strides.clone();
        own[axis] = 0;
        int[] base = IndexMath.offsets(ishape, own);
        int[] out = new int[base.length];
        for (int i = 0; i < out.length; i++) {
            long k = ShapeSupport.index(indices.getLong(i), shape[axis], "index");
            out[i] = (int) (base[i] + k * strides[axis]);
        }
        return out;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr data = operands.get(0);
        DenseElementsAttr idx = operands.get(1);
        int axis = checkedAxis(data.type(), idx.type(), op.attributes());
        long[] shape = data.type().shapeArray();
        long[] ishape = idx.type().shapeArray();
        for (int d = 0; d < shape.length; d++) {
            if (d != axis && ishape[d] > shape[d]) {
                throw new IllegalArgumentException("indices " + idx.type().text() + " reach beyond data "
                        + data.type().text() + " in dim " + d);
            }
        }
        return List.of(NnTypes.gather(data, ishape, targets(shape, idx, axis)));
    }
}
