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
 * {@code nn.gather_nd}: ONNX GatherND. The last dim of {@code indices} (static size {@code k})
 * holds tuples indexing dims {@code b..b+k-1} of {@code data}, where {@code b} is attribute
 * {@code batch_dims} (integer, default 0): the first {@code b} dims of both operands are a
 * shared batch. Result shape: {@code indices.shape[:-1] + data.shape[b+k:]}. Indices of any
 * integer type; negatives count from the end; out of range is an error at run time. Any element
 * type for {@code data}.
 *
 * <p>{@code %2 = "nn.gather_nd"(%0, %1) : (tensor<2x2xi32>, tensor<2x2xi64>) -> tensor<2xi32>}
 */
public final class GatherNdOp extends AbstractOpDefinition {

    public static final String NAME = "nn.gather_nd";

    public GatherNdOp() {
        super(NAME, "picks slices of data at index tuples given by the last dim of indices",
                OpSchema.of(2, AttrSpec.optional("batch_dims", IntegerAttr.class)), Set.of(Trait.PURE));
    }

    /** {b, k}, checked against the operand types. */
    static int[] batchAndDepth(TensorType data, TensorType idx, Map<String, Attribute> attributes) {
        long b = ShapeSupport.integer(attributes, "batch_dims", 0);
        if (idx.rank() < 1 || !ShapeSupport.known(idx.dim(idx.rank() - 1))) {
            throw new InvalidOpException("expects indices of rank >= 1 with a static last dim, found " + idx.text());
        }
        long k = idx.dim(idx.rank() - 1);
        if (b < 0 || b >= idx.rank() || b + k > data.rank()) {
            throw new InvalidOpException("expects 0 <= batch_dims < rank(indices) and batch_dims + " + k
                    + " <= rank(data), found batch_dims = " + b + " with " + data.text() + " and " + idx.text());
        }
        for (int d = 0; d < b; d++) {
            if (ShapeSupport.known(data.dim(d)) && ShapeSupport.known(idx.dim(d)) && data.dim(d) != idx.dim(d)) {
                throw new InvalidOpException("expects equal batch dims, found " + data.text() + " and " + idx.text()
                        + " (dim " + d + ")");
            }
        }
        return new int[] {(int) b, (int) k};
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType data = NnTypes.tensor(operandTypes, 0);
        TensorType idx = GatherOp.indices(operandTypes, 1);
        int[] bk = batchAndDepth(data, idx, attributes);
        long[] shape = new long[idx.rank() - 1 + data.rank() - bk[0] - bk[1]];
        System.arraycopy(idx.shapeArray(), 0, shape, 0, idx.rank() - 1);
        System.arraycopy(data.shapeArray(), bk[0] + bk[1], shape, idx.rank() - 1, data.rank() - bk[0] - bk[1]);
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
        int[] bk = batchAndDepth(data.type(), idx.type(), op.attributes());
        int b = bk[0];
        int k = bk[1];
        long[] d = data.type().shapeArray();
        long[] strides = IndexMath.strides(d);
        long batches = 1;
        for (int i = 0; i < b; i++) {
            batches *= d[i];
        }
        long inner = 1;
        for (int i = b + k; i < d.length; i++) {
            inner *= d[i];
        }
        long batchStride = b == 0 ? 0 : strides[b - 1];
        long[] ishape = idx.type().shapeArray();
        long tuples = 1;
        for (int i = b; i < ishape.length - 1; i++) {
            tuples *= ishape[i];
        }
        long[] shape = ((TensorType) inferResultTypes(List.of(data.type(), idx.type()), op.attributes()).get(0))
                .shapeArray();
        int[] source = new int[IndexMath.count(shape)];
        int pos = 0;
        long t = 0;
        for (long batch = 0; batch < batches; batch++) {
            for (long j = 0; j < tuples; j++, t++) {
                long offset = batch * batchStride;
                for (int i = 0; i < k; i++) {
                    offset += ShapeSupport.index(idx.getLong(t * k + i), d[b + i], "index") * strides[b + i];
                }
                for (long e = 0; e < inner; e++) {
                    source[pos++] = (int) (offset + e);
                }
            }
        }
        return List.of(NnTypes.gather(data, shape, source));
    }
}
