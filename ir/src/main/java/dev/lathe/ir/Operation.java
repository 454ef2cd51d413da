package dev.lathe.ir;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One operation: a name such as {@code nn.add}, SSA operands and results, a dictionary of
 * attributes kept sorted by name (so printing is deterministic), nested regions and a location.
 * Operations of a block form an intrusive linked list, so inserting and erasing are O(1).
 */
public final class Operation {

    private final String name;
    private final OpDefinition definition;
    private final List<OpOperand> operands = new ArrayList<>();
    private final List<OpResult> results;
    private final TreeMap<String, Attribute> attributes;
    private final List<Region> regions;
    private Location location;

    // Intrusive list links, maintained by Block.
    Block block;
    Operation prev;
    Operation next;
    long order;

    private Operation(String name, OpDefinition definition, List<? extends Value> operands,
            List<? extends Type> resultTypes, Map<String, Attribute> attributes, int numRegions, Location location) {
        this.name = Objects.requireNonNull(name, "op name");
        this.definition = definition;
        this.location = Objects.requireNonNull(location, "location");
        for (Value v : operands) {
            this.operands.add(new OpOperand(this, this.operands.size(), v));
        }
        List<OpResult> rs = new ArrayList<>(resultTypes.size());
        for (Type t : resultTypes) {
            rs.add(new OpResult(this, rs.size(), t));
        }
        this.results = Collections.unmodifiableList(rs);
        this.attributes = new TreeMap<>(attributes);
        List<Region> regs = new ArrayList<>(numRegions);
        for (int i = 0; i < numRegions; i++) {
            regs.add(new Region(this));
        }
        this.regions = Collections.unmodifiableList(regs);
    }

    /** Creates a detached operation; its definition is looked up in the global registry. */
    public static Operation create(String name, List<? extends Value> operands, List<? extends Type> resultTypes,
            Map<String, Attribute> attributes, int numRegions, Location location) {
        OpDefinition def = DialectRegistry.global().lookup(name).orElse(null);
        return new Operation(name, def, operands, resultTypes, attributes, numRegions, location);
    }

    public static Operation create(String name, List<? extends Value> operands, List<? extends Type> resultTypes,
            Map<String, Attribute> attributes, Location location) {
        return create(name, operands, resultTypes, attributes, 0, location);
    }

    public String name() {
        return name;
    }

    /** The prefix before the first dot: {@code nn} for {@code nn.add}. */
    public String dialect() {
        int dot = name.indexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    /** The registered definition, or null for an unregistered op. */
    public OpDefinition definition() {
        return definition;
    }

    public boolean isRegistered() {
        return definition != null;
    }

    public boolean hasTrait(Trait trait) {
        return definition != null && definition.traits().contains(trait);
    }

    public boolean isA(String opName) {
        return name.equals(opName);
    }

    public Location location() {
        return location;
    }

    public void setLocation(Location location) {
        this.location = Objects.requireNonNull(location);
    }

    // ---- operands

    public int numOperands() {
        return operands.size();
    }

    public Value operand(int i) {
        return operands.get(i).get();
    }

    public List<Value> operands() {
        List<Value> vs = new ArrayList<>(operands.size());
        for (OpOperand o : operands) {
            vs.add(o.get());
        }
        return vs;
    }

    public List<Type> operandTypes() {
        List<Type> ts = new ArrayList<>(operands.size());
        for (OpOperand o : operands) {
            ts.add(o.get().type());
        }
        return ts;
    }

    public List<OpOperand> opOperands() {
        return Collections.unmodifiableList(operands);
    }

    public void setOperand(int i, Value v) {
        operands.get(i).set(v);
    }

    public void setOperands(List<? extends Value> values) {
        for (OpOperand o : operands) {
            o.drop();
        }
        operands.clear();
        for (Value v : values) {
            operands.add(new OpOperand(this, operands.size(), v));
        }
    }

    // ---- results

    public int numResults() {
        return results.size();
    }

    public OpResult result(int i) {
        return results.get(i);
    }

    /** The only result; fails on an op with zero or several results. */
    public OpResult result() {
        if (results.size() != 1) {
            throw new IllegalStateException("'" + name + "' has " + results.size() + " results, not one");
        }
        return results.get(0);
    }

    public List<OpResult> results() {
        return results;
    }

    public List<Type> resultTypes() {
        List<Type> ts = new ArrayList<>(results.size());
        for (OpResult r : results) {
            ts.add(r.type());
        }
        return ts;
    }

    public boolean hasUsesOfResults() {
        for (OpResult r : results) {
            if (r.hasUses()) {
                return true;
            }
        }
        return false;
    }

    // ---- attributes

    public SortedMap<String, Attribute> attributes() {
        return Collections.unmodifiableSortedMap(attributes);
    }

    public Attribute attr(String key) {
        return attributes.get(key);
    }

    public <A extends Attribute> A attr(String key, Class<A> kind) {
        Attribute a = attributes.get(key);
        return kind.isInstance(a) ? kind.cast(a) : null;
    }

    public void setAttr(String key, Attribute value) {
        attributes.put(key, Objects.requireNonNull(value));
    }

    public void removeAttr(String key) {
        attributes.remove(key);
    }

    // ---- regions and nesting

    public List<Region> regions() {
        return regions;
    }

    public Region region(int i) {
        return regions.get(i);
    }

    public Block block() {
        return block;
    }

    /** The operation whose region holds this one, or null at top level or when detached. */
    public Operation parentOp() {
        return block == null ? null : block.parentOp();
    }

    public Operation nextOp() {
        return next;
    }

    public Operation prevOp() {
        return prev;
    }

    /** True when {@code other} is this op or nested somewhere inside its regions. */
    public boolean isAncestorOf(Operation other) {
        for (Operation op = other; op != null; op = op.parentOp()) {
            if (op == this) {
                return true;
            }
        }
        return false;
    }

    /** Whether this op comes before {@code other} in the same block. */
    public boolean isBeforeInBlock(Operation other) {
        if (block == null || other.block != block) {
            throw new IllegalArgumentException("ops are not in the same block");
        }
        block.ensureOrder();
        return order < other.order;
    }

    /** Visits this op and every nested op, children before parents (safe for erasing). */
    public void walkPostOrder(Consumer<Operation> visitor) {
        for (Region r : regions) {
            for (Block b : r.blocks()) {
                for (Operation op : b.operations()) {
                    op.walkPostOrder(visitor);
                }
            }
        }
        visitor.accept(this);
    }

    /** Visits this op and every nested op, parents before children. */
    public void walk(Consumer<Operation> visitor) {
        visitor.accept(this);
        for (Region r : regions) {
            for (Block b : r.blocks()) {
                for (Operation op : b.operations()) {
                    op.walk(visitor);
                }
            }
        }
    }

    // ---- mutation

    /** Unlinks the op from its block without touching its operands or results. */
    public void remove() {
        if (block != null) {
            block.unlink(this);
        }
    }

    public void moveBefore(Operation anchor) {
        remove();
        anchor.block().insertBefore(anchor, this);
    }

    public void moveAfter(Operation anchor) {
        remove();
        anchor.block().insertAfter(anchor, this);
    }

    /** Drops the uses this op and its nested ops make of other values. */
    public void dropAllReferences() {
        for (OpOperand o : operands) {
            o.drop();
        }
        operands.clear();
        for (Region r : regions) {
            for (Block b : r.blocks()) {
                for (Operation op : b.operations()) {
                    op.dropAllReferences();
                }
            }
        }
    }

    /** Unlinks and destroys the op; its results must have no uses left. */
    public void erase() {
        for (OpResult r : results) {
            if (r.hasUses()) {
                throw new IllegalStateException("erasing '" + name + "' at " + location
                        + " whose result #" + r.index() + " still has " + r.uses().size() + " uses");
            }
        }
        dropAllReferences();
        remove();
    }

    /**
     * A deep copy whose operands are remapped through {@code mapping} (values not in it stay
     * as they are); the results and nested values of the copy are added to the mapping.
     */
    public Operation clone(IRMapping mapping) {
        List<Value> newOperands = new ArrayList<>();
        for (OpOperand o : operands) {
            newOperands.add(mapping.lookupOrDefault(o.get()));
        }
        Operation copy = new Operation(name, definition, newOperands, resultTypes(), attributes, regions.size(), location);
        for (int i = 0; i < results.size(); i++) {
            copy.results.get(i).setNameHint(results.get(i).nameHint());
            mapping.map(results.get(i), copy.results.get(i));
        }
        for (int i = 0; i < regions.size(); i++) {
            regions.get(i).cloneInto(copy.regions.get(i), mapping);
        }
        return copy;
    }

    @Override
    public String toString() {
        return "'" + name + "' at " + location;
    }
}
