package dev.lathe.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An ordered list of blocks owned by an operation (a function body, a fused kernel body). */
public final class Region {

    private final Operation parent;
    private final List<Block> blocks = new ArrayList<>();

    Region(Operation parent) {
        this.parent = parent;
    }

    public Operation parentOp() {
        return parent;
    }

    public List<Block> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The first block; fails on an empty region. */
    public Block entryBlock() {
        if (blocks.isEmpty()) {
            throw new IllegalStateException("region of " + parent + " has no blocks");
        }
        return blocks.get(0);
    }

    public Block addBlock(Block block) {
        if (block.parentRegion() != null) {
            throw new IllegalStateException("block is already in a region");
        }
        block.setParent(this);
        blocks.add(block);
        return block;
    }

    public Block addBlock() {
        return addBlock(new Block());
    }

    public void removeBlock(Block block) {
        if (blocks.remove(block)) {
            block.setParent(null);
        }
    }

    /** Moves all blocks of this region to the end of {@code dest}. */
    public void moveBlocksTo(Region dest) {
        for (Block b : List.copyOf(blocks)) {
            removeBlock(b);
            dest.addBlock(b);
        }
    }

    void cloneInto(Region dest, IRMapping mapping) {
        List<Block> copies = new ArrayList<>();
        for (Block b : blocks) {
            Block copy = new Block();
            for (BlockArgument a : b.arguments()) {
                BlockArgument na = copy.addArgument(a.type());
                na.setNameHint(a.nameHint());
                mapping.map(a, na);
            }
            mapping.map(b, copy);
            copies.add(copy);
            dest.addBlock(copy);
        }
        for (int i = 0; i < blocks.size(); i++) {
            for (Operation op : blocks.get(i).operations()) {
                copies.get(i).append(op.clone(mapping));
            }
        }
    }
}
