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
 * {@code nn.sequence_at}: ONNX SequenceAt. The element at {@code position} (one i64 or i32
 * element, {@code -n <= position < n}). The sequence must hold tensors of known rank, since
 * the result is a tensor type.
 *
 * <p>{@code %t = "nn.sequence_at"(%s, %i) : (!nn.sequence<tensor<?xf32>>, tensor<i64>) -> tensor<?xf32>}
 */
public final class SequenceAtOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.sequence_at";

    public SequenceAtOp() {
        super(NAME, "the element of a sequence at a position", OpSchema.of(2), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        SequenceType seq = SequenceSupport.sequence(operandTypes.get(0), "operand #0");
        SequenceSupport.requirePositionType(operandTypes.get(1), "operand #1 (the position)");
        return List.of(SequenceSupport.rankedElement(seq, "operand #0"));
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        List<RuntimeValue> elements = operands.get(0).elements("operand #0");
        int at = SequenceSupport.position(operands.get(1).tensor("the position"), elements.size(), false);
        return List.of(elements.get(at));
    }
}
