package dev.lathe.frontend.onnx;

import dev.lathe.ir.Block;
import dev.lathe.ir.BlockArgument;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.frontend.onnx.proto.GraphProto;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a converter works with besides its node: the {@link OnnxBuilder} that creates ops, the
 * module, the values known at import time ({@link #constantValue}) and constants.
 *
 * <p>Constants are placed at the top of the function, in the order they are first needed, so
 * they dominate every use (subgraph regions included). Values of at most
 * {@link #MAX_INLINE_ELEMENTS} elements, and splats, are inline {@code dense<...>}; larger ones
 * become {@code dense_resource<name>} blobs of the module, aligned to {@link #RESOURCE_ALIGNMENT}.
 */
public final class ConversionContext {

    /** The largest constant written inline as {@code dense<...>}; larger ones become resources. */
    public static final long MAX_INLINE_ELEMENTS = 16;

    /** The alignment of every resource blob, that of the tensors the runtime allocates. */
    public static final int RESOURCE_ALIGNMENT = 64;

    private final Module module;
    private final Block constantsBlock;
    private final OnnxBuilder builder = new OnnxBuilder(this);
    private final Map<BlockArgument, DenseElementsAttr> freezable = new HashMap<>();
    private final Map<BlockArgument, Value> frozen = new LinkedHashMap<>();
    private Operation lastConstant;
    private Block currentBlock;
    private OnnxNode node;
    private Subgraphs subgraphs;
    private final List<Operation> placed = new ArrayList<>();

    /** Imports and discards subgraphs for converters: the {@link GraphImporter}. */
    interface Subgraphs {
        Block importSubgraph(GraphProto graph, List<? extends Type> argumentTypes);

        void discard(Block block);
    }

    ConversionContext(Module module, Block functionEntry) {
        this.module = module;
        this.constantsBlock = functionEntry;
        this.currentBlock = functionEntry;
    }

    /** Creates ops for the current node. */
    public OnnxBuilder builder() {
        return builder;
    }

    public Module module() {
        return module;
    }

    /** The node being converted. */
    public OnnxNode node() {
        if (node == null) {
            throw new IllegalStateException("no node is being converted");
        }
        return node;
    }

    void setNode(OnnxNode node) {
        this.node = node;
    }

    Block currentBlock() {
        return currentBlock;
    }

    void setCurrentBlock(Block block) {
        this.currentBlock = block;
    }

    void setSubgraphs(Subgraphs subgraphs) {
        this.subgraphs = subgraphs;
    }

    // ---- subgraphs

    /**
     * Imports {@code graph}, a graph attribute of the node being converted (an If branch, a Loop
     * or Scan body), into a new detached block: one argument per graph input, of
     * {@code argumentTypes} and named after the input, then the subgraph's nodes converted as
     * usual, then an {@code nn.yield} of its outputs. Its nodes may use values of the enclosing
     * graphs by name. The caller puts the block into a region of the op it creates and reads the
     * yielded types from {@code block.last()}. A block it does not keep must be dropped with
     * {@link #discardSubgraph}.
     */
    public Block importSubgraph(GraphProto graph, List<? extends Type> argumentTypes) {
        if (subgraphs == null) {
            throw new IllegalStateException("no graph is being imported");
        }
        return subgraphs.importSubgraph(graph, argumentTypes);
    }

    /**
     * Throws away a block from {@link #importSubgraph} that the converter does not keep (a Loop
     * body imported again with more general types): its uses of outer values are dropped and the
     * constants made while importing it that nothing else uses are erased.
     */
    public void discardSubgraph(Block block) {
        subgraphs.discard(block);
    }

    /** How many constants were placed so far; a mark for {@link #eraseUnusedConstantsSince}. */
    int placedCount() {
        return placed.size();
    }

    /** Erases the constants placed since {@code mark} that have no uses (their resources too). */
    void eraseUnusedConstantsSince(int mark) {
        for (Operation op : placed.subList(mark, placed.size())) {
            if (op.block() != null && !op.hasUsesOfResults()) {
                if (op.attr("value") instanceof DenseResourceAttr r) {
                    module.removeResource(r.name());
                }
                op.erase();
            }
        }
    }

    // ---- constants at import time

    /** A graph input whose value is given ({@link ImportOptions#inputValues}); it is frozen when a converter asks for it. */
    void allowFreezing(BlockArgument arg, DenseElementsAttr value) {
        freezable.put(arg, value);
    }

    /** The arguments frozen so far, each with the constant that replaces it. */
    Map<BlockArgument, Value> frozenArguments() {
        return frozen;
    }

    /**
     * The value of {@code v} when it is known at import time, or null: an {@code nn.constant}
     * (inline or a resource), or a graph input whose value the caller offered
     * ({@link ImportOptions#inputValues}), which this <em>freezes</em> (the input becomes that
     * constant and leaves the signature). For operands the nn form needs as attributes (a
     * Reshape target, ReduceSum axes). Code that only looks for an opportunity, such as folding
     * at import time, uses {@link #probeConstantValue}, which never freezes an input.
     */
    public DenseElementsAttr constantValue(Value v) {
        if (v instanceof BlockArgument arg && freezable.containsKey(arg) && !frozen.containsKey(arg)) {
            frozen.put(arg, constant(freezable.get(arg), arg.nameHint()));
        }
        return probeConstantValue(v);
    }

    /**
     * The value of {@code v} when an {@code nn.constant} defines it or it is an input frozen
     * already, else null; unlike {@link #constantValue} it never freezes an input.
     */
    public DenseElementsAttr probeConstantValue(Value v) {
        if (v instanceof BlockArgument arg && frozen.containsKey(arg)) {
            return freezable.get(arg);
        }
        if (v instanceof OpResult r && NnConstants.isConstant(r.owner())) {
            try {
                return NnConstants.valueOf(r.owner(), module);
            } catch (InvalidOpException e) {
                return null;
            }
        }
        return null;
    }

    /** {@link #constantValue} as longs (freezing an offered input likewise), or null when not known. */
    public long[] constantLongs(Value v) {
        DenseElementsAttr c = constantValue(v);
        return c == null ? null : c.toLongs();
    }

    // ---- making constants

    /** An {@code nn.constant} holding {@code value}, at the node's location, unnamed. */
    public Value constant(DenseElementsAttr value) {
        return constant(value, null);
    }

    /** An {@code nn.constant} holding {@code value}; {@code nameHint} names the value and its resource. */
    public Value constant(DenseElementsAttr value, String nameHint) {
        Location loc = node == null ? Location.UNKNOWN : node.location();
        if (isInline(value.type()) || value.isSplat()) {
            return place(NnConstants.create(value, loc), nameHint);
        }
        return resourceConstant(value.type(), value.toBytes(), nameHint, loc);
    }

    /** A rank-0 constant of {@code type}. */
    public Value scalar(ScalarType type, double value) {
        return constant(DenseElementsAttr.splat(TensorType.of(type), value));
    }

    /** A 1-D i64 constant, e.g. a shape. */
    public Value longs(long... values) {
        return constant(DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, values.length), values));
    }

    /** A constant from decoded bytes (initializers): resources take the bytes without another copy. */
    Value constant(RawTensor raw, String nameHint, Location loc) {
        if (isInline(raw.type())) {
            return place(NnConstants.create(raw.toAttr(), loc), nameHint);
        }
        return resourceConstant(raw.type(), raw.data(), nameHint, loc);
    }

    private static boolean isInline(TensorType type) {
        return type.numElements() <= MAX_INLINE_ELEMENTS;
    }

    private Value resourceConstant(TensorType type, byte[] data, String nameHint, Location loc) {
        if (allEqual(data, type.elementType().byteSize())) {
            // A splat prints as one element: keep it inline.
            return place(NnConstants.create(DenseElementsAttr.fromBytes(type, data), loc), nameHint);
        }
        String name = module.uniqueResourceName(nameHint == null || nameHint.isEmpty() ? "const" : nameHint);
        // data is this importer's own copy (decoded from the protobuf), handed over, not copied again
        module.putResource(name, ResourceBlob.adopt(data, RESOURCE_ALIGNMENT));
        return place(NnConstants.create(new DenseResourceAttr(name, type), loc), nameHint);
    }

    private static boolean allEqual(byte[] data, int size) {
        for (int i = size; i < data.length; i++) {
            if (data[i] != data[i % size]) {
                return false;
            }
        }
        return true;
    }

    /** Inserts a constant after the constants made so far, at the top of the function. */
    private Value place(Operation constant, String nameHint) {
        Operation anchor = lastConstant;
        if (anchor == null || anchor.block() != constantsBlock) {
            // The last one was folded away or moved: find the end of the leading constants again.
            anchor = null;
            for (Operation op = constantsBlock.first(); op != null && NnConstants.isConstant(op); op = op.nextOp()) {
                anchor = op;
            }
        }
        if (anchor == null) {
            constantsBlock.insertBefore(constantsBlock.first(), constant);
        } else {
            constantsBlock.insertAfter(anchor, constant);
        }
        lastConstant = constant;
        placed.add(constant);
        Value v = constant.result();
        v.setNameHint(nameHint);
        return v;
    }
}
