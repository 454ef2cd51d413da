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
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.sequence_insert}: ONNX SequenceInsert. {@code (%seq, %tensor)} appends the tensor;
 * {@code (%seq, %tensor, %position)} inserts it before index {@code position} (one i64 or i32
 * element, {@code -n <= position <= n}, negative counting from the back). The result's element
 * type joins the sequence's and the tensor's.
 *
 * <p>{@code %r = "nn.sequence_insert"(%s, %t) : (!nn.sequence<f32>, tensor<3xf32>) -> !nn.sequence<f32>}
 */
public final class SequenceInsertOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.sequence_insert";

    public SequenceInsertOp() {
        super(NAME, "the sequence with a tensor inserted (at the back by default)",
                OpSchema.of(2).withOperands(2, 3), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        SequenceType seq = SequenceSupport.sequence(operandTypes.get(0), "operand #0");
        TensorType t = SequenceSupport.tensor(operandTypes.get(1), "operand #1 (the tensor)");
        if (operandTypes.size() == 3) {
            SequenceSupport.requirePositionType(operandTypes.get(2), "operand #2 (the position)");
        }
        return List.of(SequenceType.of(SequenceSupport.join(seq.element(), t, "the sequence and the tensor")));
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        List<RuntimeValue> elements = new ArrayList<>(operands.get(0).elements("operand #0"));
        operands.get(1).tensor("operand #1");
        int at = operands.size() == 3
                ? SequenceSupport.position(operands.get(2).tensor("the position"), elements.size(), true)
                : elements.size();
        elements.add(at, operands.get(1));
        return List.of(RuntimeValue.sequence(elements));
    }
}
