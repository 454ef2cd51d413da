package dev.lathe.ir;

import dev.lathe.ir.type.Type;

/** Result number {@code index()} of an operation. */
public final class OpResult extends ValueBase implements Value {

    private final Operation owner;
    private final int index;

    OpResult(Operation owner, int index, Type type) {
        super(type);
        this.owner = owner;
        this.index = index;
    }

    public Operation owner() {
        return owner;
    }

    public int index() {
        return index;
    }

    @Override
    public Block parentBlock() {
        return owner.block();
    }

    @Override
    public String toString() {
        return "result #" + index + " of " + owner.name() + " : " + type().text();
    }
}
