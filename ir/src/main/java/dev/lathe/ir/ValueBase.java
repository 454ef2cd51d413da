package dev.lathe.ir;

import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** State shared by both kinds of value: the type, the use-list and the name hint. */
abstract sealed class ValueBase permits OpResult, BlockArgument {

    private Type type;
    private String nameHint;
    final List<OpOperand> uses = new ArrayList<>();
    private final List<OpOperand> usesView = Collections.unmodifiableList(uses);

    ValueBase(Type type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    public Type type() {
        return type;
    }

    public void setType(Type type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    public List<OpOperand> uses() {
        return usesView;
    }

    public String nameHint() {
        return nameHint;
    }

    public void setNameHint(String name) {
        this.nameHint = name;
    }
}
