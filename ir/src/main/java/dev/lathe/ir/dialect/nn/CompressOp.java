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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.compress}: ONNX Compress, the slices of {@code x} along {@code axis} whose entry of
 * the 1-D {@code condition} (any element type; nonzero is true) is true. {@code condition} may be
 * shorter than the dim (missing entries are false); a longer one is an error at run time. Without
 * attribute {@code axis} (integer, optional) {@code x} is flattened first. The selected dim is
 * {@code ?}. Any element type for {@code x}.
 *
 * <p>{@code %2 = "nn.compress"(%0, %1) {axis = 0} : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<?x2xf32>}
 */
public final class CompressOp extends AbstractOpDefinition {

    public static final String NAME = "nn.compress";

    public CompressOp() {
        super(NAME, "keeps the slices along an axis (or elements) where a 1-D condition is true",
                OpSchema.of(2, AttrSpec.optional("axis", IntegerAttr.class)), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType cond = NnTypes.tensor(operandTypes, 1);
        if (cond.rank() != 1) {
            throw new InvalidOpException("expects a 1-D condition, found " + cond.text());
        }
        if (!attributes.containsKey("axis")) {
            return List.of(TensorType.of(x.elementType(), TensorType.DYNAMIC));
        }
        int axis = ShapeSupport.axis(ShapeSupport.integer(attributes, "axis", 0), x.rank(), "axis");
        long[] shape = x.shapeArray();
        shape[axis] = TensorType.DYNAMIC;
        return List.of(NnTypes.type(x.elementType(), shape));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr cond = operands.get(1);
        boolean flat = !op.attributes().containsKey("axis");
        long[] shape = flat ? new long[] {x.numElements()} : x.type().shapeArray();
        int axis = flat ? 0 : ShapeSupport.axis(ShapeSupport.integer(op.attributes(), "axis", 0), shape.length, "axis");
        if (cond.numElements() > shape[axis]) {
            throw new IllegalArgumentException("condition " + cond.type().text() + " is longer than dimension " + axis
                    + " of size " + shape[axis]);
        }
        List<Long> kept = new ArrayList<>();
        for (long i = 0; i < cond.numElements(); i++) {
            if (cond.getDouble(i) != 0) {
                kept.add(i);
            }
        }
        long[] out = shape.clone();
        out[axis] = kept.size();
        return List.of(NnTypes.gather(x, out, ShapeSupport.sources(out, shape, (d, c) -> d == axis ? kept.get((int) c) : c)));
    }
}
