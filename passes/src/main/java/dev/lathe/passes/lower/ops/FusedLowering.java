package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.ConstantOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.ElementwiseKernel;
import dev.lathe.passes.lower.ElementwiseOpLowering;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.Lowerings;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nn.fused}: one {@link ElementwiseKernel} over the results' shape (all results share
 * it). Each element loads every operand once (numpy broadcasting), runs the body ops in
 * registers and stores each result. Body op {@code k} is applied through the very
 * {@link ElementwiseKernel.Body} its own lowering uses ({@link ElementwiseOpLowering#body}), so a
 * fused op computes each element exactly as the chain of unfused kernels did: f16/bf16 ops
 * widen to f32 and round back at the end of each op, as unfused (an intermediate tensor was
 * stored in its element type; here it stays in a register holding the same rounded value).
 * Broadcasting between intermediates needs no care: elementwise functions commute with
 * broadcasting, so every intermediate is evaluated at the iteration point's broadcast index.
 * One-element body constants become immediates (splatted in the vector loop).
 *
 * <p>A body starting with {@code nn.matmul} is a matrix product with an epilogue: see
 * {@link MatmulEpilogue}; one starting with {@code nn.conv} a convolution with an epilogue
 * ({@link MatmulEpilogue#conv}, in {@link ConvLowering}'s kernel).
 *
 * <p>Schedule: that of {@link ElementwiseKernel} (vectors along the last dim, the remainder in
 * scalars, outer rows split across threads by the cost model with the body's flop count).
 */
final class FusedLowering implements OpLowering {

    private final Lowerings lowerings;

    FusedLowering(Lowerings lowerings) {
        this.lowerings = lowerings;
    }

    @Override
    public void lower(KernelContext cx) {
        Operation op = cx.op();
        if (op.numOperands() == 0) {
            throw cx.unsupported("an nn.fused without operands (its values are constants: fold-constants computes them)");
        }
        Block body = op.region(0).entryBlock();
        Map<Operation, ElementwiseKernel.Body> bodies = new HashMap<>();
        long flops = 0;
        for (Operation inner : body.operations()) {
            if (inner == body.last()) {
                break;
            }
            if (inner.isA(dev.lathe.ir.dialect.nn.MatmulOp.NAME) || inner.isA(dev.lathe.ir.dialect.nn.ConvOp.NAME)) {
                continue;
            }
            if (inner.isA(ConstantOp.NAME)) {
                if (!(inner.attr("value") instanceof DenseElementsAttr v) || v.numElements() != 1) {
                    throw cx.unsupported("a body constant of more than one element (" + inner.attr("value").text()
                            + "); nn.fused takes only one-element constants in its body");
                }
                continue;
            }
            Operation bodyOp = inner;
            ElementwiseOpLowering lowering = ElementwiseOpLowering.of(lowerings, inner)
                    .orElseThrow(() -> cx.unsupported("'" + bodyOp.name() + "' in an nn.fused body: it has no"
                            + " elementwise body to reuse"));
            bodies.put(inner, lowering.body(inner));
            flops += ElementwiseOpLowering.flopsPerElement(inner);
        }
        Operation product = MatmulEpilogue.matmulOf(body);
        if (product != null && product.isA(dev.lathe.ir.dialect.nn.ConvOp.NAME)) {
            MatmulEpilogue.conv(cx, body, bodies);
            return;
        }
        if (product != null) {
            MatmulEpilogue.lower(cx, body, bodies);
            return;
        }
        List<Value> inputs = new ArrayList<>();
        for (int i = 0; i < op.numOperands(); i++) {
            inputs.add(cx.input(i));
        }
        List<Value> outputs = new ArrayList<>();
        for (int r = 0; r < op.numResults(); r++) {
            outputs.add(cx.output(r));
        }
        for (Value o : outputs) {
            if (!o.type().equals(outputs.get(0).type()) && !sameShape(o, outputs.get(0))) {
                throw cx.unsupported("results of different shapes (" + o.type().text() + " and "
                        + outputs.get(0).type().text() + ")");
            }
        }
        ElementwiseKernel.emit(cx, inputs, outputs, Math.max(1, flops), (b, args) -> apply(b, body, bodies, args));
    }

    private static boolean sameShape(Value a, Value b) {
        return java.util.Arrays.equals(((dev.lathe.ir.type.MemRefType) a.type()).shapeArray(),
                ((dev.lathe.ir.type.MemRefType) b.type()).shapeArray());
    }

    /** The body on one element (scalars) or one vector of elements; returns what the yield reads. */
    private static List<Value> apply(LoopBuilder b, Block body, Map<Operation, ElementwiseKernel.Body> bodies,
            List<Value> args) {
        int lanes = args.get(0).type() instanceof VectorType v ? v.length() : 1;
        Map<Value, Value> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            values.put(body.argument(i), args.get(i));
        }
        for (Operation inner : body.operations()) {
            List<Value> operands = new ArrayList<>(inner.numOperands());
            for (Value v : inner.operands()) {
                operands.add(values.get(v));
            }
            if (inner == body.last()) {
                return operands;
            }
            Value result = inner.isA(ConstantOp.NAME)
                    ? immediate(b, (DenseElementsAttr) inner.attr("value"), lanes)
                    : bodies.get(inner).apply(b, operands);
            values.put(inner.result(), result);
        }
        throw new IllegalStateException("nn.fused body without a terminator");
    }

    /** A one-element constant as a scalar or splat vector (the unfused kernel loaded and splatted it). */
    static Value immediate(LoopBuilder b, DenseElementsAttr value, int lanes) {
        ScalarType et = value.elementType();
        if (et == ScalarType.I1) {
            Type u8 = lanes > 1 ? VectorType.of(lanes, ScalarType.U8) : ScalarType.U8;
            return b.cast(b.constant(u8, value.getLong(0) != 0 ? 1L : 0L), ScalarType.I1);
        }
        Type t = lanes > 1 ? VectorType.of(lanes, et) : et;
        return et.isFloat() ? b.constant(t, value.getDouble(0)) : b.constant(t, value.getLong(0));
    }

    @Override
    public boolean lowersRegions(Operation op) {
        return true;
    }

    /** A matmul body packs a constant B at compile time (as {@code nn.matmul} does); a conv body may transpose its filter. */
    @Override
    public java.util.Set<Integer> constantOperands(Operation op) {
        Operation product = MatmulEpilogue.matmulOf(op.region(0).entryBlock());
        if (product != null && product.isA(dev.lathe.ir.dialect.nn.ConvOp.NAME)) {
            int w = ConvLowering.constantFilter(op, product);
            return w < 0 ? java.util.Set.of() : java.util.Set.of(w);
        }
        if (product == null) {
            return java.util.Set.of();
        }
        int b = MatmulEpilogue.constantB(op);
        return b < 0 ? java.util.Set.of() : java.util.Set.of(b);
    }

    /** Elementwise bodies may overwrite an operand; a matmul or conv body may not (its inputs are read after outputs are written). */
    @Override
    public boolean mayRunInPlace(Operation op) {
        return MatmulEpilogue.matmulOf(op.region(0).entryBlock()) == null;
    }
}
