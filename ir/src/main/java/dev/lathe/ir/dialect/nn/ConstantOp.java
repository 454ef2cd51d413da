package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.constant}: a tensor known at compile time. Attribute {@code value} (required): a
 * {@code dense<...>} or a {@code dense_resource<name>} (a weight in the module's resource table);
 * the result type equals the value's type exactly.
 *
 * <p>{@code %0 = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>}
 *
 * <p>Folds to its value. Its reference semantics need the value inline; a resource is resolved
 * with {@link NnConstants#valueOf}, which has the module.
 */
public final class ConstantOp extends AbstractOpDefinition {

    public static final String NAME = "nn.constant";

    public ConstantOp() {
        super(NAME, "a constant tensor from a dense<...> or dense_resource<...> value",
                OpSchema.of(0, AttrSpec.required("value", Attribute.class)),
                Set.of(Trait.PURE, Trait.CONSTANT_LIKE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        return List.of(NnConstants.typeOf(attributes.get("value")));
    }

    @Override
    public void verify(Operation op) {
        Type valueType = NnConstants.typeOf(op.attr("value"));
        Type resultType = op.result().type();
        // An incompatible type was already reported against the inferred type; this catches the
        // compatible ones that are still not equal, e.g. a tensor<?xf32> result for a tensor<2xf32> value.
        if (resultType != valueType && resultType instanceof TensorType r && r.isCompatibleWith((TensorType) valueType)) {
            throw new InvalidOpException("result type " + resultType.text() + " must equal the type of its value, "
                    + valueType.text());
        }
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return List.of(FoldResult.constant(op.attr("value")));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        if (op.attr("value") instanceof DenseElementsAttr value) {
            return List.of(value);
        }
        throw new IllegalStateException("'" + NAME + "' with " + op.attr("value").text()
                + " needs the module's resource table: resolve it with NnConstants.valueOf(op, module)");
    }
}
