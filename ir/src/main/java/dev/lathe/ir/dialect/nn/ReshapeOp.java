package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.reshape}: the same elements in row-major order under another shape. Attribute
 * {@code shape} (array of integers, required): the target sizes; each is a literal size
 * {@code >= 0} ({@code 0} is a zero-size dimension, not ONNX's "copy the input dimension", which
 * the importer resolves) except at most one {@code -1}, inferred from the element count of a
 * static operand ({@code ?} when the operand is dynamic). Any element type.
 *
 * <p>Dynamic form {@code nn.reshape(%x, %shape) {copy_zero_dims}}: the target is a 1-D integer
 * operand of static length n read at run time, with the same rules, except that with
 * {@code copy_zero_dims = true} (bool, default false) an entry 0 copies the operand's dim at
 * that position (ONNX's default; without it, ONNX {@code allowzero = 1}, 0 is a literal size and
 * may not appear beside a -1). The result has rank n, every dim {@code ?}.
 *
 * <p>{@code %1 = "nn.reshape"(%0) {shape = [2, -1]} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>}
 *
 * <p>Folds a reshape to the operand's own type to its operand.
 */
public final class ReshapeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.reshape";

    public ReshapeOp() {
        super(NAME, "reinterprets a tensor under another shape with the same element count",
                OpSchema.of(1, AttrSpec.optional("shape", ArrayAttr.class),
                        AttrSpec.optional("copy_zero_dims", BoolAttr.class)).withOperands(1, 2),
                Set.of(Trait.PURE));
    }

    /** The result shape for {@code input}: {@code shape} with its -1 resolved (or {@code ?}). */
    static long[] resultShape(TensorType input, long[] shape) {
        long known = 1;
        int inferred = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1 && inferred >= 0) {
                throw new InvalidOpException("shape " + NnTypes.text(shape) + " has more than one -1");
            } else if (shape[i] == -1) {
                inferred = i;
            } else if (shape[i] < 0) {
                throw new InvalidOpException("shape " + NnTypes.text(shape) + " has size " + shape[i]
                        + "; expected sizes >= 0 and at most one -1 (inferred)");
            } else if (known != 0 && shape[i] > Long.MAX_VALUE / known) {
                throw new InvalidOpException("shape " + NnTypes.text(shape) + " has more elements than fit in 64 bits");
            } else {
                known *= shape[i];
            }
        }
        long[] out = shape.clone();
        if (!input.hasStaticShape()) {
            return out; // -1 stays -1, which is TensorType.DYNAMIC
        }
        long count = input.numElements();
        if (inferred >= 0) {
            if (known == 0 || count % known != 0) {
                throw new InvalidOpException("cannot infer the -1 in shape " + NnTypes.text(shape) + ": "
                        + input.text() + " has " + count + " elements and the other sizes multiply to " + known);
            }
            out[inferred] = count / known;
        } else if (known != count) {
            throw new InvalidOpException("shape " + NnTypes.text(shape) + " holds " + known + " elements but "
                    + input.text() + " has " + count);
        }
        return out;
    }

    private static long[] shapeAttr(Map<String, Attribute> attributes) {
        long[] shape = NnTypes.longs(attributes, "shape");
        if (shape == null) {
            throw new InvalidOpException("requires attribute 'shape'");
        }
        return shape;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        if (operandTypes.size() > 1) {
            long n = ShapeSupport.integerOperand(operandTypes, 1, 1, "shape").dim(0);
            if (!ShapeSupport.known(n) || attributes.containsKey("shape")) {
                throw new InvalidOpException("expects a shape operand of static length and no 'shape' attribute beside"
                        + " it, found " + operandTypes.get(1).text());
            }
            return List.of(ShapeSupport.dynamic(x.elementType(), (int) n));
        }
        return List.of(NnTypes.type(x.elementType(), resultShape(x, shapeAttr(attributes))));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return op.numOperands() == 1 && op.operand(0).type() == op.result().type() ? List.of(FoldResult.existing(op.operand(0))) : null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] shape;
        try {
            shape = operands.size() > 1 ? runtimeShape(x.type(), operands.get(1).toLongs(), op.attributes())
                    : resultShape(x.type(), shapeAttr(op.attributes()));
        } catch (InvalidOpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return List.of(x.reshape(NnTypes.type(x.elementType(), shape)));
    }

    /** The dynamic form's target: ONNX's copied zeros resolved (with copy_zero_dims), then the -1. */
    private static long[] runtimeShape(TensorType x, long[] shape, Map<String, Attribute> attributes) {
        long[] target = shape.clone();
        boolean copy = NnTypes.bool(attributes, "copy_zero_dims", false);
        boolean hasMinusOne = false;
        for (int i = 0; i < target.length; i++) {
            hasMinusOne |= target[i] == -1;
            if (target[i] == 0 && copy) {
                if (i >= x.rank()) {
                    throw new InvalidOpException("shape " + NnTypes.text(shape) + " copies dim " + i + " (entry 0) but "
                            + x.text() + " has rank " + x.rank());
                }
                target[i] = x.dim(i);
            }
        }
        if (!copy && hasMinusOne && java.util.Arrays.stream(target).anyMatch(d -> d == 0)) {
            throw new InvalidOpException("shape " + NnTypes.text(shape) + " has both 0 and -1, which is ambiguous");
        }
        return resultShape(x, target);
    }
}
