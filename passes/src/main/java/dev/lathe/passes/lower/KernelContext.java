package dev.lathe.passes.lower;

import dev.lathe.costmodel.CostModel;
import dev.lathe.costmodel.MachineModel;
import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What a lowering sees of the op it lowers: its buffers as kernel arguments, compile-time
 * constant operands, a builder positioned in the kernel, scratch buffers on request, and the
 * cost model that picks schedules.
 */
public final class KernelContext {

    private final Operation op;
    private final Module module;
    private final Block kernelBody;
    private final LoopBuilder builder;
    private final Value[] operandBuffers;
    private final Value[] resultBuffers;
    private final Value[] extentBuffers;
    private final Set<Integer> constantOperands;
    private final Function<MemRefType, Value> scratchAllocator;
    private final Function<DenseElementsAttr, Value> weightAllocator;
    private final CostModel costModel;
    private final MachineModel machine;
    private final List<MemRefType> scratch = new ArrayList<>();

    KernelContext(Operation op, Module module, Block kernelBody, Value[] operandBuffers, Value[] resultBuffers,
            Value[] extentBuffers, Set<Integer> constantOperands, Function<MemRefType, Value> scratchAllocator,
            Function<DenseElementsAttr, Value> weightAllocator, CostModel costModel, MachineModel machine) {
        this.op = op;
        this.module = module;
        this.kernelBody = kernelBody;
        this.builder = new LoopBuilder(kernelBody, op.location(), op.name());
        this.operandBuffers = operandBuffers;
        this.resultBuffers = resultBuffers;
        this.extentBuffers = extentBuffers;
        this.constantOperands = constantOperands;
        this.scratchAllocator = scratchAllocator;
        this.weightAllocator = weightAllocator;
        this.costModel = costModel;
        this.machine = machine;
    }

    /** The {@code nn} op being lowered (read its attributes and types; do not change it). */
    public Operation op() {
        return op;
    }

    public LoopBuilder builder() {
        return builder;
    }

    public int numOperands() {
        return op.numOperands();
    }

    /** The buffer of operand {@code i} (a kernel argument); not for constant operands. */
    public Value input(int i) {
        if (operandBuffers[i] == null) {
            throw new IllegalStateException("operand #" + i + " of " + op.name() + " is a constant operand: use constant(i)");
        }
        return operandBuffers[i];
    }

    public Value output(int i) {
        return resultBuffers[i];
    }

    /**
     * For a bounded result ({@link OpLowering#resultBound}): a {@code memref<i64>} the kernel sets
     * to the actual extent {@code n} of the dynamic dim. {@link #output} has the bound's shape; the
     * tensor's elements sit at their own coordinates in it (the dynamic dim's index below
     * {@code n}), so a caller cuts the first {@code n} positions of that dim (a repack when it is
     * not the outermost); the other positions are unspecified.
     */
    public Value extent(int result) {
        if (extentBuffers[result] == null) {
            throw new IllegalStateException("result #" + result + " of " + op.name() + " is not a bounded result");
        }
        return extentBuffers[result];
    }

    public TensorType inputType(int i) {
        return (TensorType) op.operand(i).type();
    }

    public TensorType outputType(int i) {
        return (TensorType) op.result(i).type();
    }

    /** Whether operand {@code i} is present (ONNX optional inputs may be left out). */
    public boolean hasOperand(int i) {
        return i < op.numOperands();
    }

    /** The compile-time value of a constant operand (declared by {@link OpLowering#constantOperands}). */
    public DenseElementsAttr constant(int i) {
        if (!constantOperands.contains(i)) {
            throw new IllegalStateException("operand #" + i + " of " + op.name() + " was not declared a constant operand");
        }
        return constantValue(op.operand(i), module);
    }

    static DenseElementsAttr constantValue(Value v, Module module) {
        if (v instanceof dev.lathe.ir.OpResult r && NnConstants.isConstant(r.owner())) {
            return NnConstants.valueOf(r.owner(), module);
        }
        return null;
    }

    /** A scratch buffer from the call's workspace, passed to the kernel as an extra argument. */
    public Value scratch(MemRefType type) {
        scratch.add(type);
        Value arg = kernelBody.addArgument(type);
        scratchAllocator.apply(type);
        return arg;
    }

    /**
     * Read-only data computed at compile time, typically a constant operand rearranged into the
     * layout the kernel reads (a GEMM's packed B panels): {@code @main} gets a {@code loop.weight}
     * holding {@code value}, passed to the kernel as an extra argument (after any scratch requested
     * before). The original constant's weight is dropped when nothing else reads it.
     */
    public Value weight(DenseElementsAttr value) {
        Value arg = kernelBody.addArgument(MemRefType.of(value.type()));
        weightAllocator.apply(value);
        return arg;
    }

    List<MemRefType> scratchTypes() {
        return scratch;
    }

    public CostModel costModel() {
        return costModel;
    }

    public MachineModel machine() {
        return machine;
    }

    /** Lanes of a full vector register for {@code et} on this machine (at least 2). */
    public int vectorLanes(dev.lathe.ir.type.ScalarType et) {
        int bits = machine.vectorBits();
        return Math.max(2, Math.min(64, bits / (8 * et.byteSize())));
    }

    /** Fails this lowering with a message naming the op. */
    public LoweringException unsupported(String what) {
        return new LoweringException(op.name() + ": " + what);
    }
}
