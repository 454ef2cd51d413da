package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.scatter_nd}: ONNX ScatterND. The last dim of {@code indices} (static size {@code k})
 * holds tuples addressing slices {@code data[i1, ..., ik]}; each slice is replaced by (or, with
 * {@code reduction} {@code "add"}, {@code "mul"}, {@code "max"}, {@code "min"}, combined with) the
 * matching slice of {@code updates}, whose shape must be {@code indices.shape[:-1] +
 * data.shape[k:]}. Negative indices count from the end; out of range is an error at run time;
 * updates apply in row-major order (the last duplicate wins with {@code "none"}, which ONNX
 * leaves open). Float reductions are computed in double and rounded once. The result type is
 * {@code data}'s. Any element type with {@code "none"}, arithmetic ones with a reduction.
 *
 * <p>{@code %3 = "nn.scatter_nd"(%0, %1, %2) : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>}
 */
public final class ScatterNdOp extends AbstractOpDefinition {

    public static final String NAME = "nn.scatter_nd";

    public ScatterNdOp() {
        super(NAME, "writes (or combines) slices of updates into a copy of data at index tuples",
                OpSchema.of(3, AttrSpec.optional("reduction", StringAttr.class)), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType data = NnTypes.tensor(operandTypes, 0);
        TensorType idx = GatherOp.indices(operandTypes, 1);
        TensorType updates = NnTypes.tensor(operandTypes, 2);
        NnTypes.requireSameElementType(data, updates);
        if (idx.rank() < 1 || !ShapeSupport.known(idx.dim(idx.rank() - 1)) || idx.dim(idx.rank() - 1) > data.rank()) {
            throw new InvalidOpException("expects indices with a static last dim of at most rank(data) = " + data.rank()
                    + ", found " + idx.text());
        }
        int k = (int) idx.dim(idx.rank() - 1);
        long[] want = new long[idx.rank() - 1 + data.rank() - k];
        System.arraycopy(idx.shapeArray(), 0, want, 0, idx.rank() - 1);
        System.arraycopy(data.shapeArray(), k, want, idx.rank() - 1, data.rank() - k);
        if (!TensorType.of(updates.elementType(), want).isCompatibleWith(updates)) {
            throw new InvalidOpException("expects updates of shape " + Arrays.toString(want) + " (indices.shape[:-1] + "
                    + "data.shape[" + k + ":]), found " + updates.text());
        }
        ScatterElementsOp.reduction(attributes, data);
        return List.of(data);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr data = operands.get(0);
        DenseElementsAttr idx = operands.get(1);
        DenseElementsAttr updates = operands.get(2);
        long[] d = data.type().shapeArray();
        long[] strides = IndexMath.strides(d);
        long[] ishape = idx.type().shapeArray();
        int k = (int) ishape[ishape.length - 1];
        long inner = 1;
        for (int i = k; i < d.length; i++) {
            inner *= d[i];
        }
        long tuples = 1;
        for (int i = 0; i < ishape.length - 1; i++) {
            tuples *= ishape[i];
        }
        int[] targets = new int[(int) (tuples * inner)];
        int pos = 0;
        for (long t = 0; t < tuples; t++) {
            long offset = 0;
            for (int i = 0; i < k; i++) {
                offset += ShapeSupport.index(idx.getLong(t * k + i), d[i], "index") * strides[i];
            }
            for (long e = 0; e < inner; e++) {
                targets[pos++] = (int) (offset + e);
            }
        }
        return List.of(ScatterElementsOp.scatter(data, targets, updates,
                ScatterElementsOp.reduction(op.attributes(), data.type())));
    }
}
