package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesValues;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.sequence_length}: ONNX SequenceLength. The number of elements, as a scalar i64.
 *
 * <p>{@code %n = "nn.sequence_length"(%s) : (!nn.sequence<f32>) -> tensor<i64>}
 */
public final class SequenceLengthOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.sequence_length";

    private static final TensorType I64 = TensorType.of(ScalarType.I64);

    public SequenceLengthOp() {
        super(NAME, "the number of elements of a sequence", OpSchema.of(1), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        SequenceSupport.sequence(operandTypes.get(0), "operand #0");
        return List.of(I64);
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        int n = operands.get(0).elements("operand #0").size();
        return List.of(RuntimeValue.of(DenseElementsAttr.fromLongs(I64, n)));
    }
}
