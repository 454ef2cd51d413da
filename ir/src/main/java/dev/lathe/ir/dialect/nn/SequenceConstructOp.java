package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesValues;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.sequence_construct}: ONNX SequenceConstruct. One or more tensors of one element
 * type become a sequence, in order. The element type of the result joins the operands' types
 * ({@link dev.lathe.ir.type.ValueTypes#join}): differing dims become {@code ?}, differing ranks
 * give the unranked {@code !nn.sequence<f32>}.
 *
 * <p>{@code %s = "nn.sequence_construct"(%a, %b) : (tensor<2xf32>, tensor<3xf32>) -> !nn.sequence<tensor<?xf32>>}
 */
public final class SequenceConstructOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.sequence_construct";

    public SequenceConstructOp() {
        super(NAME, "a sequence of its tensor operands, in order",
                OpSchema.of(1).withOperands(1, OpSchema.VARIADIC), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        Type element = SequenceSupport.tensor(operandTypes.get(0), "operand #0");
        for (int i = 1; i < operandTypes.size(); i++) {
            element = SequenceSupport.join(element, SequenceSupport.tensor(operandTypes.get(i), "operand #" + i),
                    "the operands");
        }
        return List.of(SequenceType.of(element));
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        for (int i = 0; i < operands.size(); i++) {
            operands.get(i).tensor("operand #" + i);
        }
        return List.of(RuntimeValue.sequence(operands));
    }
}
