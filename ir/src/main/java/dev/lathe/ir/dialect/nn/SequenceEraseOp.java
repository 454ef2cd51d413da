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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.sequence_erase}: ONNX SequenceErase. The sequence without its last element, or
 * without the element at {@code position} when given (one i64 or i32 element,
 * {@code -n <= position < n}). Erasing from an empty sequence is an error.
 *
 * <p>{@code %r = "nn.sequence_erase"(%s, %i) : (!nn.sequence<tensor<3xf32>>, tensor<i64>) -> !nn.sequence<tensor<3xf32>>}
 */
public final class SequenceEraseOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.sequence_erase";

    public SequenceEraseOp() {
        super(NAME, "the sequence without one element (the last by default)",
                OpSchema.of(1).withOperands(1, 2), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        SequenceType seq = SequenceSupport.sequence(operandTypes.get(0), "operand #0");
        if (operandTypes.size() == 2) {
            SequenceSupport.requirePositionType(operandTypes.get(1), "operand #1 (the position)");
        }
        return List.of(seq);
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        List<RuntimeValue> elements = new ArrayList<>(operands.get(0).elements("operand #0"));
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("cannot erase from an empty sequence");
        }
        int at = operands.size() == 2
                ? SequenceSupport.position(operands.get(1).tensor("the position"), elements.size(), false)
                : elements.size() - 1;
        elements.remove(at);
        return List.of(RuntimeValue.sequence(elements));
    }
}
