package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.ConvTransposeOp;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nn.conv_transpose}: grouped N-D transposed convolution with optional bias, computed in
 * gather form so every output element is written by one thread:
 * {@code y[n, m, o] = sum_{k, c : o + pad = i * stride + k * dilation, 0 <= i < in} x[n, c, i] * w[c, m', k]}.
 * The taps reaching an output come from {@link TransposedWindow}; the group's input channels run
 * innermost, check-free.
 *
 * <p>Floats: the weights are first copied to scratch as {@code [C, k..., M/group]} (output
 * channels contiguous, zero-padded to whole vectors), so one output position accumulates up to
 * four vectors of output channels at once: each x element is broadcast once and multiplied into
 * vector loads of the weights. Threads split {@code N x group x} channel blocks {@code x} output
 * rows; the finished vectors go through a stack buffer to the (channel-strided) result, plus the
 * bias. Integers (and groups of one output channel) run the scalar form, one output element at a
 * time, split over {@code N x M x} rows.
 *
 * <p>Floats accumulate in f32 (16-bit floats too) while the interpreter sums in f64: the
 * products of one output are few, as for {@code nn.conv}. Integers wrap in their own type. The
 * bias is added after the sum, as the reference does.
 */
final class ConvTransposeLowering implements OpLowering {

    /** Vectors of output channels one output position accumulates (register budget). */
    private static final int MAX_VECTORS = 4;

    private record Shapes(MemRefType x, MemRefType w, MemRefType y, long cg, long mg, long group, ScalarType acc,
            TransposedWindow win) {

        int spatial() {
            return x.rank() - 2;
        }

        long[] out() {
            return ConvLowering.spatial(y);
        }

        /** Output rows: the output's spatial dims but the last. */
        long[] lead() {
            return java.util.Arrays.copyOf(out(), spatial() - 1);
        }
    }

    @Override
    public void lower(KernelContext cx) {
        MemRefType xt = (MemRefType) cx.input(0).type();
        MemRefType wt = (MemRefType) cx.input(1).type();
        MemRefType yt = (MemRefType) cx.output(0).type();
        if (yt.numElements() == 0) {
            return;
        }
        int s = xt.rank() - 2;
        long[] pads = ConvTransposeOp.padsBegin(cx.inputType(0), cx.inputType(1), cx.op().attributes());
        TransposedWindow win = new TransposedWindow(ConvLowering.spatial(xt), ConvLowering.spatial(wt),
                Window.longs(cx.op(), "strides", s, 1), Window.longs(cx.op(), "dilations", s, 1), pads);
        long group = Window.integer(cx.op(), "group", 1);
        ScalarType acc = GemmEmitter.accumulatorFor(yt.elementType());
        Shapes sh = new Shapes(xt, wt, yt, xt.dim(1) / group, wt.dim(1), group, acc, win);
        int lanes = GemmEmitter.fitLanes(cx.vectorLanes(acc), sh.mg());
        if (acc.isFloat() && lanes > 1) {
            vectorized(cx, sh, lanes);
        } else {
            scalar(cx, sh);
        }
    }

    private static long grain(KernelContext cx, Shapes sh, long rows) {
        long macs = sh.y().numElements() * sh.cg() * Window.product(sh.win().kernel())
                / Math.max(1, Window.product(sh.win().strides()));
        return WorkSplit.grain(rows, WorkSplit.tasks(cx, rows, 2 * macs));
    }

    /** One output element at a time (integers, single-channel groups). */
    private static void scalar(KernelContext cx, Shapes sh) {
        Value x = cx.input(0);
        Value w = cx.input(1);
        Value bias = cx.hasOperand(2) ? cx.input(2) : null;
        Value y = cx.output(0);
        ScalarType acc = sh.acc();
        long[] rowsShape = concat(new long[] {sh.y().dim(0), sh.y().dim(1)}, sh.lead());
        long rows = Window.product(rowsShape);
        long width = sh.out()[sh.spatial() - 1];
        cx.builder().parallel(0, rows, 1, grain(cx, sh, rows), (pb, flat) -> {
            List<Value> pos = pb.delinearize(flat, rowsShape);
            Value n = pos.get(0);
            Value m = pos.get(1);
            Value mInGroup = pb.rem(m, pb.index(sh.mg()));
            Value cBase = pb.mul(pb.div(m, pb.index(sh.mg())), pb.index(sh.cg()));
            pb.forRange(0, width, 1, (ob, last) -> {
                List<Value> o = new ArrayList<>(pos.subList(2, pos.size()));
                o.add(last);
                Value sum = sh.win().taps(ob, o, List.of(ob.constant(acc, 0.0)), (tb, is, ks, cur) ->
                        tb.forRange(tb.index(0), tb.index(sh.cg()), tb.index(1), cur, (cb, c, carried) -> {
                            Value ch = cb.add(cBase, c);
                            Value xv = cb.cast(cb.load(x, concat(List.of(n, ch), is)), acc);
                            Value wv = cb.cast(cb.load(w, concat(List.of(ch, mInGroup), ks)), acc);
                            Value a = carried.get(0);
                            return List.of(acc.isFloat() ? cb.fma(xv, wv, a) : cb.add(cb.mul(xv, wv), a));
                        })).get(0);
                if (bias != null) {
                    sum = ob.add(sum, ob.cast(ob.load(bias, List.of(m)), acc));
                }
                ob.store(ob.cast(sum, sh.y().elementType()), y, concat(List.of(n, m), o));
            });
        });
    }

    /** Vectors of output channels per output position, from weights transposed to scratch. */
    private static void vectorized(KernelContext cx, Shapes sh, int lanes) {
        Value x = cx.input(0);
        Value bias = cx.hasOperand(2) ? cx.input(2) : null;
        Value y = cx.output(0);
        ScalarType acc = sh.acc();
        long vectorsPerGroup = Math.ceilDiv(sh.mg(), lanes);
        int nv = (int) Math.min(MAX_VECTORS, vectorsPerGroup);
        long blocks = Math.ceilDiv(vectorsPerGroup, nv);
        long padded = blocks * nv * lanes;
        Value wT = transposeWeights(cx, sh, padded);
        long[] rowsShape = concat(new long[] {sh.y().dim(0), sh.group(), blocks}, sh.lead());
        long rows = Window.product(rowsShape);
        long width = sh.out()[sh.spatial() - 1];
        VectorType vt = VectorType.of(lanes, acc);
        cx.builder().parallel(0, rows, 1, grain(cx, sh, rows), (pb, flat) -> {
            List<Value> pos = pb.delinearize(flat, rowsShape);
            Value n = pos.get(0);
            Value cBase = pb.mul(pos.get(1), pb.index(sh.cg()));
            Value mBlock = pb.mul(pos.get(2), pb.index((long) nv * lanes)); // first channel of the block, in the group
            Value mBase = pb.add(pb.mul(pos.get(1), pb.index(sh.mg())), mBlock);
            Value count = pb.min(pb.index((long) nv * lanes), pb.sub(pb.index(sh.mg()), mBlock));
            Value tmp = pb.alloca(MemRefType.of(acc, (long) nv * lanes));
            pb.forRange(0, width, 1, (ob, last) -> {
                List<Value> o = new ArrayList<>(pos.subList(3, pos.size()));
                o.add(last);
                List<Value> zeros = new ArrayList<>();
                for (int v = 0; v < nv; v++) {
                    zeros.add(ob.constant(vt, 0.0));
                }
                List<Value> sums = sh.win().taps(ob, o, zeros, (tb, is, ks, cur) ->
                        tb.forRange(tb.index(0), tb.index(sh.cg()), tb.index(1), cur, (cb, c, carried) -> {
                            Value ch = cb.add(cBase, c);
                            Value xv = cb.broadcast(cb.cast(cb.load(x, concat(List.of(n, ch), is)), acc), lanes);
                            List<Value> next = new ArrayList<>();
                            for (int v = 0; v < nv; v++) {
                                Value m = cb.add(mBlock, cb.index((long) v * lanes));
                                Value wv = cb.vload(wT, concat(concat(List.of(ch), ks), List.of(m)), lanes);
                                next.add(cb.fma(xv, wv, carried.get(v)));
                            }
                            return next;
                        }));
                for (int v = 0; v < nv; v++) {
                    ob.vstore(sums.get(v), tmp, List.of(ob.index((long) v * lanes)));
                }
                ob.forRange(ob.index(0), count, ob.index(1), (jb, j) -> {
                    Value m = jb.add(mBase, j);
                    Value sum = jb.load(tmp, List.of(j));
                    if (bias != null) {
                        sum = jb.add(sum, jb.cast(jb.load(bias, List.of(m)), acc));
                    }
                    jb.store(jb.cast(sum, sh.y().elementType()), y, concat(List.of(n, m), o));
                });
            });
        });
    }

    /** {@code wT[c, k..., m'] = w[c, m', k...]} in the accumulator type, zero for {@code m' >= M/group}. */
    private static Value transposeWeights(KernelContext cx, Shapes sh, long padded) {
        Value w = cx.input(1);
        long[] kernel = sh.win().kernel();
        long[] shape = concat(concat(new long[] {sh.w().dim(0)}, kernel), new long[] {padded});
        Value wT = cx.scratch(MemRefType.of(sh.acc(), shape));
        long mg = sh.mg();
        cx.builder().forEachIndex(shape, (b, idx) -> {
            Value c = idx.get(0);
            Value m = idx.get(idx.size() - 1);
            List<Value> ks = idx.subList(1, idx.size() - 1);
            Value inside = b.cmp("lt", m, b.index(mg));
            Value clamped = b.min(m, b.index(mg - 1));
            Value v = b.cast(b.load(w, concat(List.of(c, clamped), ks)), sh.acc());
            b.store(b.select(inside, v, b.constant(sh.acc(), 0.0)), wT, idx);
        });
        return wT;
    }

    private static List<Value> concat(List<Value> a, List<Value> b) {
        List<Value> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
