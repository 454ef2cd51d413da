package dev.lathe.ir.dialect;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the compiler knows about one op: its schema, its own verification rules, result
 * type inference, folding, traits, and its reference semantics in plain Java (the oracle every
 * pass and backend is checked against).
 */
public interface OpDefinition {

    /** Full name, {@code dialect.op}. */
    String name();

    /** One line for documentation and {@code --help} listings. */
    default String summary() {
        return "";
    }

    OpSchema schema();

    default Set<Trait> traits() {
        return Set.of();
    }

    /**
     * Op-specific rules beyond the schema and type inference; throws
     * {@link InvalidOpException} saying what was expected and what was found.
     */
    default void verify(Operation op) {}

    /**
     * Result types computed from operand types and attributes, or null when this op does not
     * infer them. Throws {@link InvalidOpException} when the operands cannot be valid. Dynamic
     * dimensions ({@code ?}) are allowed wherever the inputs do not determine a size.
     */
    default List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        return null;
    }

    /**
     * Folds the op given the constant value of each operand (null where not constant), or
     * returns null when it does not fold. Must not mutate the IR.
     */
    default List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return null;
    }

    /** Whether {@link #evaluate} is implemented. */
    default boolean hasReferenceSemantics() {
        return false;
    }

    /**
     * The reference semantics: the results for concrete operands. Result shapes come from the
     * operands, never from possibly dynamic result types.
     */
    default List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        throw new UnsupportedOperationException("'" + name() + "' has no reference semantics");
    }
}
