package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Block;
import dev.lathe.ir.BlockArgument;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.ConstantOp;
import dev.lathe.ir.dialect.nn.ConvOp;
import dev.lathe.ir.dialect.nn.MatmulOp;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.ElementwiseKernel;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code nn.fused} whose body starts with {@code nn.matmul}: the product runs in
 * {@link MatmulLowering}'s kernels (packed or unpacked) and the elementwise ops after it run as
 * their {@link MatmulLowering.Epilogue}, on each finished vector (or scalar) of sums right before
 * the store, so C is written once and never read back. Other block arguments are read at C's
 * index with numpy broadcasting (a bias {@code [N]} as a vector along the row, a per-row
 * {@code [M, 1]} as one splatted scalar, a residual {@code [..., M, N]} as a vector). Numerics:
 * the sums are cast to C's element type exactly where the unfused matmul stored them, then each
 * body op runs through the same {@link ElementwiseKernel.Body} its unfused kernel uses, so the
 * result is bit-identical to the unfused ops.
 *
 * <p>A body starting with {@code nn.conv} runs the same way in {@link ConvLowering}'s kernel
 * ({@link #conv}): the sums (plus the conv's own bias, in f32 as unfused) are cast where the
 * unfused conv stored them, then the body ops run on each vector of outputs along the last
 * spatial dim; a per-channel bias {@code [C, 1, 1]} is one splatted scalar per vector.
 */
final class MatmulEpilogue implements MatmulLowering.Epilogue {

    private final KernelContext cx;
    private final Block body;
    private final Operation matmul;
    private final Map<Operation, ElementwiseKernel.Body> bodies;
    private final ScalarType et;

    private MatmulEpilogue(KernelContext cx, Block body, Operation matmul, Map<Operation, ElementwiseKernel.Body> bodies) {
        this.cx = cx;
        this.body = body;
        this.matmul = matmul;
        this.bodies = bodies;
        this.et = LoopBuilder.elementType(cx.output(0));
    }

    /** The body's matmul or conv (its product), or null when it has none. */
    static Operation matmulOf(Block body) {
        for (Operation inner : body.operations()) {
            if (inner.isA(MatmulOp.NAME) || inner.isA(ConvOp.NAME)) {
                return inner;
            }
        }
        return null;
    }

    /** Whether B (a block argument read only by the matmul) is packed at compile time: then its operand index, else -1. */
    static int constantB(Operation fused) {
        Block body = fused.region(0).entryBlock();
        Operation m = matmulOf(body);
        BlockArgument b = (BlockArgument) m.operand(1);
        boolean onlyMatmul = b.uses().stream().allMatch(u -> u.owner() == m) && m.operand(0) != b;
        return onlyMatmul && MatmulLowering.packsConstantB(m, fused.operand(((BlockArgument) m.operand(0)).index()),
                fused.operand(b.index()), m.result().type()) ? b.index() : -1;
    }

    /** Emits the whole fused op: the convolution with the body's other ops as its epilogue. */
    static void conv(KernelContext cx, Block body, Map<Operation, ElementwiseKernel.Body> bodies) {
        Operation c = matmulOf(body);
        MemRefType yt = (MemRefType) cx.output(0).type();
        dev.lathe.ir.type.TensorType ct = (dev.lathe.ir.type.TensorType) c.result().type();
        if (cx.op().numResults() != 1 || !java.util.Arrays.equals(yt.shapeArray(), MemRefType.of(ct).shapeArray())
                || yt.elementType() != ct.elementType()) {
            throw cx.unsupported("an nn.fused conv epilogue other than one result of the conv's shape and element type");
        }
        MatmulEpilogue e = new MatmulEpilogue(cx, body, c, bodies);
        ConvLowering.lowerConv(cx, c, argIndex(c, 0), argIndex(c, 1), c.numOperands() > 2 ? argIndex(c, 2) : -1,
                (b, sum, idx, width) -> e.at(b, sum, idx, width));
    }

    /** Emits the whole fused op: the product with the body's other ops as its epilogue. */
    static void lower(KernelContext cx, Block body, Map<Operation, ElementwiseKernel.Body> bodies) {
        Operation op = cx.op();
        Operation m = matmulOf(body);
        MemRefType ct = (MemRefType) cx.output(0).type();
        if (op.numResults() != 1 || ct.rank() < 2 || ((MemRefType) cx.input(argIndex(m, 0)).type()).rank() < 2
                || !java.util.Arrays.equals(ct.shapeArray(), MemRefType.of(
                        (dev.lathe.ir.type.TensorType) m.result().type()).shapeArray())
                || ct.elementType() != ((dev.lathe.ir.type.TensorType) m.result().type()).elementType()) {
            throw cx.unsupported("an nn.fused matmul epilogue other than one result of the product's shape and"
                    + " element type with matrix operands");
        }
        int constB = constantB(op);
        if (constB < 0 && ((MemRefType) cx.input(argIndex(m, 1)).type()).rank() < 2) {
            throw cx.unsupported("an nn.fused matmul epilogue with a 1-D B");
        }
        MatmulLowering.lowerProduct(cx, argIndex(m, 0), argIndex(m, 1), constB >= 0, MatmulLowering.transposed(m, 0),
                MatmulLowering.transposed(m, 1), new MatmulEpilogue(cx, body, m, bodies));
    }

    private static int argIndex(Operation m, int operand) {
        return ((BlockArgument) m.operand(operand)).index();
    }

    @Override
    public Value apply(LoopBuilder b, Value sum, Value i, Value j, int width) {
        throw new IllegalStateException("the matmul epilogue needs C's batch indices");
    }

    @Override
    public Value apply(LoopBuilder b, Value sum, List<Value> bidx, Value i, Value j, int width) {
        List<Value> full = new ArrayList<>(bidx);
        full.add(i);
        full.add(j);
        return at(b, sum, full, width);
    }

    /** The body on the accumulator-type {@code sum} stored at the output's index {@code full}, {@code width} lanes along the last dim. */
    private Value at(LoopBuilder b, Value sum, List<Value> full, int width) {
        Map<Value, Value> values = new HashMap<>();
        values.put(matmul.result(), b.cast(sum, et));
        for (Operation inner : body.operations()) {
            if (inner == matmul) {
                continue;
            }
            List<Value> operands = new ArrayList<>(inner.numOperands());
            for (Value v : inner.operands()) {
                operands.add(values.computeIfAbsent(v, arg -> load(b, (BlockArgument) arg, full, width)));
            }
            if (inner == body.last()) {
                return operands.get(0);
            }
            Value result = inner.isA(ConstantOp.NAME)
                    ? FusedLowering.immediate(b, (DenseElementsAttr) inner.attr("value"), width)
                    : bodies.get(inner).apply(b, operands);
            values.put(inner.result(), result);
        }
        throw new IllegalStateException("nn.fused body without a terminator");
    }

    /** Block argument {@code arg} at C's index {@code full} (numpy broadcasting), {@code width} lanes along the row. */
    private Value load(LoopBuilder b, BlockArgument arg, List<Value> full, int width) {
        Value buf = cx.input(arg.index());
        long[] s = ((MemRefType) buf.type()).shapeArray();
        List<Value> idx = b.broadcastIndex(s, full);
        boolean alongRow = s.length > 0 && s[s.length - 1] != 1;
        if (width == 1) {
            return b.load(buf, idx);
        }
        return alongRow ? b.vload(buf, idx, width) : b.broadcast(b.load(buf, idx), width);
    }
}
