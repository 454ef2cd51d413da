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
 * {@code nn.one_hot}: ONNX OneHot. Operands {@code indices} (any numeric type; floats truncate
 * toward zero) and {@code values} ({@code [off, on]}, whose element type is the result's). A new
 * dim of size {@code depth} is inserted at {@code axis} (integer, default -1, in
 * {@code -(r+1)..r} for indices of rank r); the element is {@code on} where its coordinate along
 * that dim equals the index (negatives count from the end, {@code i + depth}), {@code off}
 * elsewhere; an index out of range gives an all-{@code off} line. {@code depth} is the attribute
 * {@code depth} (integer {@code >= 1}) or, in the dynamic form {@code nn.one_hot(%indices,
 * %values, %depth)}, a one-element numeric operand read at run time (truncated to an integer), the
 * new dim being {@code ?}.
 *
 * <p>{@code %2 = "nn.one_hot"(%0, %1) {axis = 1, depth = 10} : (tensor<3xi64>, tensor<2xf32>) -> tensor<3x10xf32>}
 */
public final class OneHotOp extends AbstractOpDefinition {

    public static final String NAME = "nn.one_hot";

    public OneHotOp() {
        super(NAME, "one-hot encodes indices along a new dim of size depth",
                OpSchema.of(2, AttrSpec.optional("axis", IntegerAttr.class), AttrSpec.optional("depth", IntegerAttr.class))
                        .withOperands(2, 3),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType idx = NnTypes.tensor(operandTypes, 0);
        TensorType values = NnTypes.tensor(operandTypes, 1);
        NnTypes.requireArithmetic(idx);
        if (values.rank() != 1 || (ShapeSupport.known(values.dim(0)) && values.dim(0) != 2)) {
            throw new InvalidOpException("expects values [off, on] of shape [2], found " + values.text());
        }
        long depth;
        if (operandTypes.size() > 2) {
            TensorType dt = NnTypes.tensor(operandTypes, 2);
            NnTypes.requireArithmetic(dt);
            if (dt.rank() > 1) {
                throw new InvalidOpException("expects a scalar depth operand, found " + dt.text());
            }
            depth = TensorType.DYNAMIC;
        } else {
            depth = ShapeSupport.integer(attributes, "depth", 0);
            if (depth < 1) {
                throw new InvalidOpException("expects attribute 'depth' >= 1 (or a depth operand), found " + depth);
            }
        }
        int axis = ShapeSupport.axis(ShapeSupport.integer(attributes, "axis", -1), idx.rank() + 1, "axis");
        long[] shape = new long[idx.rank() + 1];
        for (int d = 0, k = 0; d < shape.length; d++) {
            shape[d] = d == axis ? depth : idx.dim(k++);
        }
        return List.of(NnTypes.type(values.elementType(), shape));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr idx = operands.get(0);
        DenseElementsAttr values = operands.get(1);
        long depth = operands.size() > 2 ? operands.get(2).getLong(0) : ShapeSupport.integer(op.attributes(), "depth", 0);
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1, found " + depth);
        }
        long[] is = idx.type().shapeArray();
        int axis = ShapeSupport.axis(ShapeSupport.integer(op.attributes(), "axis", -1), is.length + 1, "axis");
        long[] shape = new long[is.length + 1];
        for (int d = 0, k = 0; d < shape.length; d++) {
            shape[d] = d == axis ? depth : is[k++];
        }
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int n = IndexMath.count(shape);
        int[] source = new int[n];
        for (int i = 0; i < n; i++) {
            long c = (i / inner) % depth;
            long index = idx.getLong((i / inner / depth) * inner + i % inner);
            index = index < 0 ? index + depth : index;
            source[i] = c == index ? 1 : 0;
        }
        return List.of(NnTypes.gather(values, shape, source));
    }
}
