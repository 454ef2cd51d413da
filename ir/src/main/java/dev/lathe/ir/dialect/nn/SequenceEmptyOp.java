package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesValues;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.sequence_empty}: ONNX SequenceEmpty. An empty sequence of tensors of element type
 * {@code dtype} (a type attribute, default f32 as in ONNX) and unknown rank.
 *
 * <p>{@code %s = "nn.sequence_empty"() {dtype = i64} : () -> !nn.sequence<i64>}
 */
public final class SequenceEmptyOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.sequence_empty";

    public SequenceEmptyOp() {
        super(NAME, "an empty sequence of tensors of one element type",
                OpSchema.of(0, AttrSpec.optional("dtype", TypeAttr.class)), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        Type dtype = attributes.get("dtype") instanceof TypeAttr t ? t.type() : ScalarType.F32;
        if (!(dtype instanceof ScalarType s) || s == ScalarType.INDEX) {
            throw new InvalidOpException("expects dtype to be a tensor element type, found " + dtype.text());
        }
        return List.of(SequenceType.of(s));
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        return List.of(RuntimeValue.sequence(List.of()));
    }
}
