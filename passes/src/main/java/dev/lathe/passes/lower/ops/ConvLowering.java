package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code nn.conv}: grouped N-D convolution with optional bias, through {@link ConvEmitter}.
 * 16-bit floats accumulate in f32; integers wrap in their own type. The bias is added after the
 * sum, as the reference does. An {@code nn.fused} whose body starts with an {@code nn.conv} runs
 * here too ({@link #lowerConv}), its elementwise ops applied to the sums before the store
 * ({@link MatmulEpilogue#conv}).
 */
final class ConvLowering implements OpLowering {

    /** The value stored for finished sums (accumulator type, bias added) at {@code idx}, in y's element type. */
    @FunctionalInterface
    interface Epilogue {
        Value apply(LoopBuilder b, Value sum, List<Value> idx, int width);
    }

    @Override
    public void lower(KernelContext cx) {
        ScalarType et = LoopBuilder.elementType(cx.output(0));
        lowerConv(cx, cx.op(), 0, 1, cx.hasOperand(2) ? 2 : -1, (b, sum, idx, width) -> b.cast(sum, et));
    }

    /**
     * {@code output(0) = epilogue(conv(input(xIn), input(wIn)) + input(biasIn))} with {@code conv}'s
     * attributes; {@code biasIn} -1 for none. The bias is added to the accumulator-type sums
     * before the epilogue, as the unfused op adds it before its store.
     */
    static void lowerConv(KernelContext cx, Operation conv, int xIn, int wIn, int biasIn, Epilogue epilogue) {
        Value x = cx.input(xIn);
        boolean filterVectors = FilterVectorConv.applies(conv, cx.op().operand(xIn), cx.op().operand(wIn),
                conv.result(0).type());
        Value w = filterVectors ? null : cx.input(wIn);
        Value bias = biasIn >= 0 ? cx.input(biasIn) : null;
        Value y = cx.output(0);
        MemRefType xt = (MemRefType) x.type();
        MemRefType wt = filterVectors ? MemRefType.of((TensorType) cx.op().operand(wIn).type()) : (MemRefType) w.type();
        MemRefType yt = (MemRefType) y.type();
        ScalarType et = yt.elementType();
        ScalarType acc = GemmEmitter.accumulatorFor(et);
        int group = (int) Window.integer(conv, "group", 1);
        Window win = Window.of(conv, spatial(xt), spatial(wt), spatial(yt));
        ConvEmitter.LoadX loadX = (b, idx, width) -> b.cast(width == 1 ? b.load(x, idx) : b.vload(x, idx, width), acc);
        ConvEmitter.LoadW loadW = (b, idx) -> b.cast(b.load(w, idx), acc);
        ConvEmitter.Store store = (b, sum, idx, width) -> {
            if (bias != null) {
                Value bv = b.cast(b.load(bias, List.of(idx.get(1))), acc);
                sum = b.add(sum, width == 1 ? bv : b.broadcast(bv, width));
            }
            Value out = epilogue.apply(b, sum, idx, width);
            if (width == 1) {
                b.store(out, y, idx);
            } else {
                b.vstore(out, y, idx);
            }
        };
        if (filterVectors) {
            FilterVectorConv.emit(cx, win, xt, wt, yt, group, cx.constant(wIn), loadX, store);
            return;
        }
        emit(cx, win, xt, wt, yt, group, acc, loadX, loadW, store);
    }

    /** The filter is read at compile time when {@link FilterVectorConv} runs the conv. */
    @Override
    public Set<Integer> constantOperands(Operation op) {
        return FilterVectorConv.applies(op, op.operand(0), op.operand(1), op.result(0).type()) ? Set.of(1) : Set.of();
    }

    /**
     * The operand of {@code fused} (an {@code nn.fused} whose body starts with an {@code nn.conv})
     * that is the conv's filter, when {@link FilterVectorConv} reads it at compile time; else -1.
     */
    static int constantFilter(Operation fused, Operation conv) {
        if (!(conv.operand(1) instanceof dev.lathe.ir.BlockArgument w) || !(conv.operand(0) instanceof dev.lathe.ir.BlockArgument x)
                || w == x || !w.uses().stream().allMatch(u -> u.owner() == conv)) {
            return -1;
        }
        return FilterVectorConv.applies(conv, fused.operand(x.index()), fused.operand(w.index()), conv.result(0).type())
                ? w.index() : -1;
    }

    /** The window of a convolution of {@code x} by {@code w} into {@code y}. */
    static Window spatialWindow(KernelContext cx, MemRefType xt, MemRefType wt, MemRefType yt) {
        return Window.of(cx.op(), spatial(xt), spatial(wt), spatial(yt));
    }

    static long[] spatial(MemRefType t) {
        return Arrays.copyOfRange(t.shapeArray(), 2, t.rank());
    }

    /** Runs {@link ConvEmitter} with a thread split sized by the multiply-adds. */
    static void emit(KernelContext cx, Window win, MemRefType xt, MemRefType wt, MemRefType yt, int group,
            ScalarType acc, ConvEmitter.LoadX loadX, ConvEmitter.LoadW loadW, ConvEmitter.Store store) {
        long macs = yt.numElements() * wt.dim(1) * Window.product(win.kernel());
        long rows = yt.dim(0) * yt.dim(1) * Window.product(Arrays.copyOf(win.output(), win.rank() - 1));
        ConvEmitter e = new ConvEmitter(win, xt.dim(1), wt.dim(0), group, acc, cx.vectorLanes(acc), loadX, loadW, store);
        e.emit(cx.builder(), xt.dim(0), WorkSplit.tasks(cx, rows, 2 * macs));
    }
}
