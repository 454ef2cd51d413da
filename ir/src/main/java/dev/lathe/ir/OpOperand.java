package dev.lathe.ir;

import java.util.Objects;

/** One operand slot of an operation; setting it moves it between the values' use-lists. */
public final class OpOperand {

    private final Operation owner;
    private final int index;
    private Value value;

    OpOperand(Operation owner, int index, Value value) {
        this.owner = owner;
        this.index = index;
        this.value = Objects.requireNonNull(value, "operand value");
        base(value).uses.add(this);
    }

    public Operation owner() {
        return owner;
    }

    public int index() {
        return index;
    }

    public Value get() {
        return value;
    }

    public void set(Value newValue) {
        Objects.requireNonNull(newValue, "operand value");
        if (newValue == value) {
            return;
        }
        drop();
        value = newValue;
        base(newValue).uses.add(this);
    }

    /** Removes this operand from its value's use-list (before the owner is erased). */
    void drop() {
        if (value != null) {
            base(value).uses.remove(this);
        }
    }

    private static ValueBase base(Value v) {
        return (ValueBase) v;
    }
}
