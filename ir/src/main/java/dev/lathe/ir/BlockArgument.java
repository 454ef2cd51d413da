package dev.lathe.ir;

import dev.lathe.ir.type.Type;

/** Argument number {@code index()} of a block; a function's parameters are its entry block's. */
public final class BlockArgument extends ValueBase implements Value {

    private final Block owner;
    private int index;

    BlockArgument(Block owner, int index, Type type) {
        super(type);
        this.owner = owner;
        this.index = index;
    }

    public Block owner() {
        return owner;
    }

    public int index() {
        return index;
    }

    void setIndex(int index) {
        this.index = index;
    }

    @Override
    public Block parentBlock() {
        return owner;
    }

    @Override
    public String toString() {
        return "block argument #" + index + " : " + type().text();
    }
}
