package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesValues;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.optional_get_element}: ONNX OptionalGetElement. The value an optional holds; an
 * empty optional is an error at run time (ONNX leaves it undefined); a plain value standing for
 * the optional ({@link dev.lathe.ir.type.ValueTypes}) is returned as it is. The optional must hold a
 * tensor of known rank, a sequence or an optional. (ONNX 18 also accepts a tensor or sequence
 * and returns it; the importer passes those through without an op.)
 *
 * <p>{@code %x = "nn.optional_get_element"(%o) : (!nn.optional<tensor<2xf32>>) -> tensor<2xf32>}
 */
public final class OptionalGetElementOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.optional_get_element";

    public OptionalGetElementOp() {
        super(NAME, "the value an optional holds", OpSchema.of(1), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        OptionalType o = SequenceSupport.optional(operandTypes.get(0), "operand #0");
        if (o.element() instanceof ScalarType) {
            throw new InvalidOpException("expects the optional to hold a tensor of known rank, a sequence or an"
                    + " optional, found " + o.text());
        }
        return List.of(o.element());
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        if (!(operands.get(0) instanceof RuntimeValue.OptionalValue o)) {
            return List.of(operands.get(0)); // a plain value standing for a present optional
        }
        if (!o.isPresent()) {
            throw new IllegalArgumentException("the optional is empty; there is no element to get");
        }
        return List.of(o.value());
    }
}
