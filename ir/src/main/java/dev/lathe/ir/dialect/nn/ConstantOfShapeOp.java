package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
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
 * {@code nn.constant_of_shape}: a tensor of a given shape with every element equal to
 * {@code value} (a one-element {@code dense<...>}, required, whose element type is the result's;
 * the importer supplies ONNX's default {@code dense<0.0> : tensor<1xf32>}). Static form
 * {@code nn.constant_of_shape() {shape = [...], value}} (sizes {@code >= 0}). Dynamic form
 * {@code nn.constant_of_shape(%shape) {value}}: a 1-D integer operand of static length n read at
 * run time; the result has rank n, every dim {@code ?}.
 *
 * <p>{@code %0 = "nn.constant_of_shape"() {shape = [2, 3], value = dense<1.0> : tensor<1xf32>} : () -> tensor<2x3xf32>}
 *
 * <p>The static form folds to a splat constant.
 */
public final class ConstantOfShapeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.constant_of_shape";

    public ConstantOfShapeOp() {
        super(NAME, "a tensor of a given shape filled with one value",
                OpSchema.of(0, AttrSpec.required("value", DenseElementsAttr.class), AttrSpec.optional("shape",
                        ArrayAttr.class)).withOperands(0, 1),
                Set.of(Trait.PURE));
    }

    private static DenseElementsAttr value(Map<String, Attribute> attributes) {
        if (!(attributes.get("value") instanceof DenseElementsAttr v) || v.numElements() != 1) {
            throw new InvalidOpException("expects a one-element dense 'value', found "
                    + (attributes.get("value") == null ? "none" : attributes.get("value").text()));
        }
        return v;
    }

    private static long[] checked(long[] shape) {
        for (long s : shape) {
            if (s < 0) {
                throw new InvalidOpException("shape " + NnTypes.text(shape) + " has size " + s + "; expected sizes >= 0");
            }
        }
        return shape;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        DenseElementsAttr v = value(attributes);
        long[] shape = NnTypes.longs(attributes, "shape");
        if (operandTypes.isEmpty() == (shape == null)) {
            throw new InvalidOpException("expects exactly one of attribute 'shape' and a shape operand, found "
                    + (shape == null ? "neither" : "both"));
        }
        if (shape != null) {
            return List.of(NnTypes.type(v.elementType(), checked(shape)));
        }
        long n = ShapeSupport.integerOperand(operandTypes, 0, 1, "shape").dim(0);
        if (!ShapeSupport.known(n)) {
            throw new InvalidOpException("expects a shape operand of static length, found " + operandTypes.get(0).text());
        }
        return List.of(ShapeSupport.dynamic(v.elementType(), (int) n));
    }

    private static DenseElementsAttr filled(DenseElementsAttr v, long[] shape) {
        return DenseElementsAttr.fromBytes(NnTypes.type(v.elementType(), shape), v.toBytes());
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        long[] shape = NnTypes.longs(op.attributes(), "shape");
        return op.numOperands() == 0 && shape != null
                ? List.of(FoldResult.constant(filled(value(op.attributes()), shape))) : null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        long[] shape = operands.isEmpty() ? NnTypes.longs(op.attributes(), "shape") : operands.get(0).toLongs();
        try {
            return List.of(filled(value(op.attributes()), checked(shape)));
        } catch (InvalidOpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
