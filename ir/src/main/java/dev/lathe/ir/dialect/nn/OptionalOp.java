package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesValues;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.optional}: ONNX Optional. With an operand, an optional holding it (of type
 * {@code !nn.optional<T>} for an operand of type T); without, an empty optional of the declared
 * result type (ONNX's {@code type} attribute), which the verifier requires to be an optional.
 *
 * <p>{@code %o = "nn.optional"(%x) : (tensor<2xf32>) -> !nn.optional<tensor<2xf32>>}
 * <br>{@code %e = "nn.optional"() : () -> !nn.optional<!nn.sequence<tensor<5xf32>>>}
 */
public final class OptionalOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.optional";

    public OptionalOp() {
        super(NAME, "an optional holding its operand, or an empty one without",
                OpSchema.of(0).withOperands(0, 1), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        return operandTypes.isEmpty() ? null : List.of(OptionalType.of(operandTypes.get(0)));
    }

    @Override
    public void verify(Operation op) {
        SequenceSupport.optional(op.result(0).type(), "the result");
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        return List.of(RuntimeValue.optional(operands.isEmpty() ? null : operands.get(0)));
    }
}
