package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
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
 * {@code nn.concat_from_sequence}: ONNX ConcatFromSequence. Concatenates the tensors of a
 * sequence along {@code axis} (required); with {@code new_axis = true} they are stacked along
 * a new axis instead ({@code axis} then ranges over {@code [-r-1, r]}). The elements must have
 * one known rank; the result's dim along the axis is {@code ?}. ONNX leaves an empty sequence
 * undefined; Lathe reports an error.
 *
 * <p>{@code %t = "nn.concat_from_sequence"(%s) {axis = 0} : (!nn.sequence<tensor<?x3xf32>>) -> tensor<?x3xf32>}
 */
public final class ConcatFromSequenceOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.concat_from_sequence";

    public ConcatFromSequenceOp() {
        super(NAME, "the tensors of a sequence concatenated (or stacked) along an axis",
                OpSchema.of(1, AttrSpec.required("axis", IntegerAttr.class),
                        AttrSpec.optional("new_axis", BoolAttr.class)),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        SequenceType seq = SequenceSupport.sequence(operandTypes.get(0), "operand #0");
        TensorType e = SequenceSupport.rankedElement(seq, "operand #0");
        boolean newAxis = NnTypes.bool(attributes, "new_axis", false);
        int axis = SequenceSupport.axis(attributes, e.rank() + (newAxis ? 1 : 0));
        List<Long> dims = new ArrayList<>(e.shape());
        if (newAxis) {
            dims.add(axis, TensorType.DYNAMIC);
        } else {
            dims.set(axis, TensorType.DYNAMIC);
        }
        return List.of(TensorType.of(dims, e.elementType()));
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        List<RuntimeValue> elements = operands.get(0).elements("operand #0");
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("cannot concatenate an empty sequence");
        }
        boolean newAxis = NnTypes.bool(op.attributes(), "new_axis", false);
        List<DenseElementsAttr> parts = new ArrayList<>();
        int rank = elements.get(0).tensor("element #0").type().rank();
        int axis = SequenceSupport.axis(op.attributes(), rank + (newAxis ? 1 : 0));
        for (int i = 0; i < elements.size(); i++) {
            DenseElementsAttr t = elements.get(i).tensor("element #" + i);
            if (newAxis) {
                List<Long> dims = new ArrayList<>(t.type().shape());
                dims.add(axis, 1L);
                t = t.reshape(TensorType.of(dims, t.elementType()));
            }
            parts.add(t);
        }
        return List.of(RuntimeValue.of(SequenceSupport.concat(parts, axis)));
    }
}
