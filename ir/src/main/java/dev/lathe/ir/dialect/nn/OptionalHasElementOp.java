package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesValues;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.optional_has_element}: ONNX OptionalHasElement. A scalar i1: whether the optional
 * holds a value. As in ONNX 18, a tensor or sequence operand (a value that is always present)
 * gives true; the importer turns a missing input into the constant false.
 *
 * <p>{@code %b = "nn.optional_has_element"(%o) : (!nn.optional<tensor<2xf32>>) -> tensor<i1>}
 */
public final class OptionalHasElementOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.optional_has_element";

    private static final TensorType I1 = TensorType.of(ScalarType.I1);

    public OptionalHasElementOp() {
        super(NAME, "whether an optional holds a value", OpSchema.of(1), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        Type t = operandTypes.get(0);
        if (!(t instanceof OptionalType || t instanceof SequenceType || t instanceof TensorType)) {
            throw new InvalidOpException("expects an optional, sequence or tensor, found " + t.text());
        }
        return List.of(I1);
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        boolean has = !(operands.get(0) instanceof RuntimeValue.OptionalValue o) || o.isPresent();
        return List.of(RuntimeValue.of(DenseElementsAttr.fromLongs(I1, has ? 1 : 0)));
    }
}
