package dev.lathe.ir;

import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A sequence of operations with typed arguments, inside a region. */
public final class Block {

    private final List<BlockArgument> arguments = new ArrayList<>();
    private Region parent;
    private Operation first;
    private Operation last;
    private int size;
    private boolean orderValid;

    public Block() {}

    public Block(List<? extends Type> argumentTypes) {
        for (Type t : argumentTypes) {
            addArgument(t);
        }
    }

    public Region parentRegion() {
        return parent;
    }

    void setParent(Region region) {
        this.parent = region;
    }

    /** The op owning the region this block is in; null for a detached block. */
    public Operation parentOp() {
        return parent == null ? null : parent.parentOp();
    }

    // ---- arguments

    public List<BlockArgument> arguments() {
        return Collections.unmodifiableList(arguments);
    }

    public BlockArgument argument(int i) {
        return arguments.get(i);
    }

    public int numArguments() {
        return arguments.size();
    }

    public BlockArgument addArgument(Type type) {
        BlockArgument arg = new BlockArgument(this, arguments.size(), type);
        arguments.add(arg);
        return arg;
    }

    /** Removes an argument that has no uses left. */
    public void eraseArgument(int index) {
        BlockArgument arg = arguments.get(index);
        if (arg.hasUses()) {
            throw new IllegalStateException("erasing block argument #" + index + " that still has uses");
        }
        arguments.remove(index);
        for (int i = index; i < arguments.size(); i++) {
            arguments.get(i).setIndex(i);
        }
    }

    // ---- operations

    public boolean isEmpty() {
        return first == null;
    }

    public int size() {
        return size;
    }

    public Operation first() {
        return first;
    }

    public Operation last() {
        return last;
    }

    /** A snapshot of the ops, so callers may erase or insert while iterating it. */
    public List<Operation> operations() {
        List<Operation> ops = new ArrayList<>(size);
        for (Operation op = first; op != null; op = op.next) {
            ops.add(op);
        }
        return ops;
    }

    /** The last op if it is a terminator, else null. */
    public Operation terminator() {
        return last != null && last.hasTrait(dev.lathe.ir.dialect.Trait.TERMINATOR) ? last : null;
    }

    public void append(Operation op) {
        insertBefore(null, op);
    }

    /** Inserts {@code op} before {@code anchor}, or at the end when anchor is null. */
    public void insertBefore(Operation anchor, Operation op) {
        if (op.block != null) {
            throw new IllegalStateException(op + " is already in a block");
        }
        if (anchor != null && anchor.block != this) {
            throw new IllegalArgumentException("anchor " + anchor + " is not in this block");
        }
        op.block = this;
        op.next = anchor;
        op.prev = anchor == null ? last : anchor.prev;
        if (op.prev == null) {
            first = op;
        } else {
            op.prev.next = op;
        }
        if (anchor == null) {
            last = op;
        } else {
            anchor.prev = op;
        }
        size++;
        orderValid = false;
    }

    public void insertAfter(Operation anchor, Operation op) {
        insertBefore(anchor.next, op);
    }

    void unlink(Operation op) {
        if (op.prev == null) {
            first = op.next;
        } else {
            op.prev.next = op.next;
        }
        if (op.next == null) {
            last = op.prev;
        } else {
            op.next.prev = op.prev;
        }
        op.prev = null;
        op.next = null;
        op.block = null;
        size--;
    }

    void ensureOrder() {
        if (!orderValid) {
            long i = 0;
            for (Operation op = first; op != null; op = op.next) {
                op.order = i++;
            }
            orderValid = true;
        }
    }

    /** Walks every op in this block and nested inside, parents first. */
    public void walk(java.util.function.Consumer<Operation> visitor) {
        for (Operation op : operations()) {
            op.walk(visitor);
        }
    }
}
