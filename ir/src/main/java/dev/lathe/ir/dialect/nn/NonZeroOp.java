package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.non_zero}: ONNX NonZero, the coordinates of the nonzero elements of {@code x} (any
 * element type; NaN counts as nonzero) in row-major order, as an i64 tensor of shape
 * {@code [rank, ?]}: column {@code j} is the index of the {@code j}-th nonzero element.
 *
 * <p>{@code %1 = "nn.non_zero"(%0) : (tensor<2x2xi1>) -> tensor<2x?xi64>}
 */
public final class NonZeroOp extends AbstractOpDefinition {

    public static final String NAME = "nn.non_zero";

    public NonZeroOp() {
        super(NAME, "the coordinates of the nonzero elements, one column each", OpSchema.of(1), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        return List.of(TensorType.of(ScalarType.I64, x.rank(), TensorType.DYNAMIC));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] shape = x.type().shapeArray();
        long[] strides = IndexMath.strides(shape);
        List<Long> hits = new ArrayList<>();
        for (long i = 0; i < x.numElements(); i++) {
            if (x.elementType().isFloat() ? x.getDouble(i) != 0 || Double.isNaN(x.getDouble(i)) : x.getLong(i) != 0) {
                hits.add(i);
            }
        }
        int n = hits.size();
        long[] out = new long[shape.length * n];
        for (int j = 0; j < n; j++) {
            for (int d = 0; d < shape.length; d++) {
                out[d * n + j] = hits.get(j) / strides[d] % shape[d];
            }
        }
        return List.of(NnTypes.integers(ScalarType.I64, new long[] {shape.length, n}, out));
    }
}
