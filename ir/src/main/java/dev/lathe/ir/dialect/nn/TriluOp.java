package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
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
 * {@code nn.trilu}: ONNX Trilu on the last two dims of {@code x} (rank {@code >= 2}): keeps
 * element {@code (i, j)} when {@code j - i >= k} ({@code upper = true}, the default) or
 * {@code j - i <= k} ({@code upper = false}), and sets the others to zero. The diagonal offset
 * {@code k} is the attribute {@code k} (integer, default 0) or, in the dynamic form
 * {@code nn.trilu(%x, %k)}, a one-element integer operand read at run time. The result type is the
 * operand type; any element type ({@code i1} zeros are {@code false}).
 *
 * <p>{@code %1 = "nn.trilu"(%0) {upper = false, k = -1} : (tensor<4x5xi64>) -> tensor<4x5xi64>}
 */
public final class TriluOp extends AbstractOpDefinition {

    public static final String NAME = "nn.trilu";

    public TriluOp() {
        super(NAME, "keeps the upper or lower triangle of the last two dims, zeroing the rest",
                OpSchema.of(1, AttrSpec.optional("upper", BoolAttr.class), AttrSpec.optional("k", IntegerAttr.class))
                        .withOperands(1, 2),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        if (x.rank() < 2) {
            throw new InvalidOpException("expects rank >= 2, found " + x.text());
        }
        if (operandTypes.size() > 1) {
            TensorType k = NnTypes.tensor(operandTypes, 1);
            if (!k.elementType().isInteger() || k.rank() > 1) {
                throw new InvalidOpException("expects a scalar integer k, found " + k.text());
            }
        }
        NnTypes.bool(attributes, "upper", true);
        ShapeSupport.integer(attributes, "k", 0);
        return List.of(x);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        boolean upper = NnTypes.bool(op.attributes(), "upper", true);
        long k = operands.size() > 1 ? operands.get(1).getLong(0) : ShapeSupport.integer(op.attributes(), "k", 0);
        long[] shape = x.type().shapeArray();
        long rows = shape[shape.length - 2];
        long cols = shape[shape.length - 1];
        int[] source = new int[(int) x.numElements()];
        for (int i = 0; i < source.length; i++) {
            long j = i % cols;
            long r = (i / cols) % rows;
            boolean keep = upper ? j - r >= k : j - r <= k;
            source[i] = keep ? i : -1;
        }
        return List.of(ShapeSupport.gatherOrFill(x, shape, source, null));
    }
}
