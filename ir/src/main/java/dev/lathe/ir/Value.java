package dev.lathe.ir;

import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An SSA value: the result of an operation or an argument of a block. Every value keeps the
 * list of operands that use it, so replacing all uses costs as much as there are uses.
 */
public sealed interface Value permits OpResult, BlockArgument {

    Type type();

    /** Refines the type, e.g. when shape inference learns a dimension. */
    void setType(Type type);

    /** The operands that currently read this value, in no particular order. */
    List<OpOperand> uses();

    /** A name to print the value with, kept from the source text or imported graph; may be null. */
    String nameHint();

    void setNameHint(String name);

    /** The block whose scope defines this value (the op's block, or the argument's block). */
    Block parentBlock();

    default boolean hasUses() {
        return !uses().isEmpty();
    }

    /** The distinct operations that use this value. */
    default List<Operation> users() {
        List<Operation> users = new ArrayList<>();
        for (OpOperand use : uses()) {
            if (!users.contains(use.owner())) {
                users.add(use.owner());
            }
        }
        return users;
    }

    default void replaceAllUsesWith(Value replacement) {
        replaceUsesWithIf(replacement, use -> true);
    }

    default void replaceUsesWithIf(Value replacement, Predicate<OpOperand> shouldReplace) {
        if (replacement == this) {
            return;
        }
        for (OpOperand use : List.copyOf(uses())) {
            if (shouldReplace.test(use)) {
                use.set(replacement);
            }
        }
    }
}
