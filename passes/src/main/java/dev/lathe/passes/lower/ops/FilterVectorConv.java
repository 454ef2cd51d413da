package dev.lathe.passes.lower.ops;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An f32 convolution with a constant filter and narrow output rows (at most {@link #MAX_WIDTH}
 * positions along the last dim: Silero's 1-D convs and its STFT-as-conv, squeeze-excite FCs on
 * 1x1 maps) runs with <em>filters</em> in the vector lanes instead of output positions, which
 * would leave most lanes empty. The filter is transposed at compile time to
 * {@code [group][C/group][outer taps][k][filters of the group, padded to whole tiles]}; a task
 * holds {@code mv} vectors of filters by every output position of one row in registers, and each
 * tap is {@code mv} vector loads of filter values, one broadcast input value per position and
 * {@code mv x width} multiply-adds. Taps run channel, outer taps, last-dim tap: the same order for
 * every thread count. Padding taps are skipped (statically when the last-dim taps are unrolled).
 * The sums leave through a stack tile to the per-element store (bias, epilogue).
 */
final class FilterVectorConv {

    /** Output rows up to this long run here. */
    static final long MAX_WIDTH = 8;
    /** Last-dim kernels up to this are unrolled (padding decided at compile time). */
    private static final int UNROLL = 7;

    private FilterVectorConv() {}

    /** Whether {@code conv} of {@code x} by the operand {@code w} into {@code y} runs here. */
    static boolean applies(Operation conv, Value x, Value w, Type y) {
        if (!(w instanceof OpResult r && NnConstants.isConstant(r.owner())) || !(x.type() instanceof TensorType xt)
                || !(w.type() instanceof TensorType wt) || !(y instanceof TensorType yt)) {
            return false;
        }
        if (!xt.hasStaticShape() || !wt.hasStaticShape() || !yt.hasStaticShape() || yt.rank() < 3
                || xt.elementType() != ScalarType.F32 || wt.elementType() != ScalarType.F32
                || yt.elementType() != ScalarType.F32 || yt.numElements() == 0 || xt.numElements() == 0) {
            return false;
        }
        long group = Window.integer(conv, "group", 1);
        long outerTaps = Window.product(Arrays.copyOfRange(wt.shapeArray(), 2, wt.rank() - 1));
        return yt.dim(yt.rank() - 1) <= MAX_WIDTH && group > 0 && wt.dim(0) / group >= 8 && outerTaps <= 49
                && wt.dim(1) > 0;
    }

    /** Emits the convolution; {@code w} is the filter's compile-time value. */
    static void emit(KernelContext cx, Window win, MemRefType xt, MemRefType wt, MemRefType yt, int group,
            DenseElementsAttr w, ConvEmitter.LoadX loadX, ConvEmitter.Store store) {
        int s = win.rank();
        int last = s - 1;
        int lanes = cx.vectorLanes(ScalarType.F32);
        long width = win.output()[last];
        long cg = wt.dim(1);
        long mg = wt.dim(0) / group;
        long k = win.kernel()[last];
        long taps = Window.product(Arrays.copyOf(win.kernel(), last));
        // up to 16 accumulators: 4 filter vectors by up to 4 positions, 2 by up to 8
        int mv = (int) Math.min(Math.min(4, Math.max(1, 16 / width)), Math.ceilDiv(mg, lanes));
        long blockM = (long) mv * lanes;
        long blocks = Math.ceilDiv(mg, blockM);
        long padded = blocks * blockM;
        Value wT = cx.weight(transpose(w, group, mg, cg, taps * k, padded));
        long[] lead = Arrays.copyOf(win.output(), last);
        long rows = Window.product(lead);
        long batch = xt.dim(0);
        long total = batch * group * blocks * rows;
        long macs = yt.numElements() * cg * taps * k;
        long tasks = WorkSplit.tasks(cx, total, 2 * macs);
        VectorType vt = VectorType.of(lanes, ScalarType.F32);
        boolean allInside = win.interior(last)[0] == 0 && win.interior(last)[1] == width;
        int fmv = mv;
        cx.builder().parallel(0, total, 1, WorkSplit.grain(total, tasks), (pb, flat) -> {
            List<Value> pos = pb.delinearize(flat, new long[] {batch, group, blocks, Math.max(1, rows)});
            Value n = pos.get(0);
            Value g = pos.get(1);
            Value mBase = pb.mul(pos.get(2), pb.index(blockM));
            List<Value> leadPos = last == 0 ? List.of() : pb.delinearize(pos.get(3), lead);
            List<Value> inits = new ArrayList<>();
            for (int t = 0; t < fmv * width; t++) {
                inits.add(pb.constant(vt, -0.0));
            }
            List<Value> sums = channels(pb, cg, inits, (cb, c, accs) -> {
                Value ch = cb.add(cb.mul(g, cb.index(cg)), c);
                Value gc = ch;
                List<Value> cur = accs;
                for (long t = 0; t < taps; t++) {
                    long[] kk = win.tap(t, last);
                    List<Value> ins = new ArrayList<>();
                    Value ok = null;
                    for (int d = 0; d < last; d++) {
                        Value ih = cb.add(cb.mul(leadPos.get(d), cb.index(win.strides()[d])),
                                cb.index(kk[d] * win.dilations()[d] - win.padsBegin()[d]));
                        ins.add(ih);
                        boolean mayPad = win.padsBegin()[d] > 0 || (win.output()[d] - 1) * win.strides()[d]
                                - win.padsBegin()[d] + kk[d] * win.dilations()[d] >= win.input()[d];
                        if (mayPad) {
                            Value in = cb.binary("loop.and", cb.cmp("ge", ih, cb.index(0)),
                                    cb.cmp("lt", ih, cb.index(win.input()[d])));
                            ok = ok == null ? in : cb.binary("loop.and", ok, in);
                        }
                    }
                    Value rowBase = cb.mul(cb.add(cb.mul(gc, cb.index(taps)), cb.index(t)), cb.index(k));
                    RowTaps body = rb -> lastTaps(rb, win, loadX, wT, n, ch, ins, rowBase, mBase, padded, lanes, fmv,
                            width, k, allInside, rb.accs);
                    if (ok == null) {
                        cur = body.run(new RowBuilder(cb, cur));
                    } else {
                        List<Value> before = cur;
                        cur = cb.ifElse(ok, before.stream().map(Value::type).toList(),
                                ib -> body.run(new RowBuilder(ib, before)), eb -> before);
                    }
                }
                return cur;
            });
            Value tile = pb.alloca(MemRefType.of(ScalarType.F32, width * blockM));
            for (int j = 0; j < fmv; j++) {
                for (long o = 0; o < width; o++) {
                    pb.vstore(sums.get((int) (j * width + o)), tile, List.of(pb.index(o * blockM + (long) j * lanes)));
                }
            }
            Value count = pb.min(pb.index(blockM), pb.sub(pb.index(mg), mBase));
            pb.forRange(pb.index(0), count, pb.index(1), (mb, m) -> {
                Value filter = mb.add(mb.add(mb.mul(g, mb.index(mg)), mBase), m);
                for (long o = 0; o < width; o++) {
                    List<Value> idx = new ArrayList<>(List.of(n, filter));
                    idx.addAll(leadPos);
                    idx.add(mb.index(o));
                    store.store(mb, mb.load(tile, List.of(mb.add(mb.index(o * blockM), m))), idx, 1);
                }
            });
        });
    }

    private record RowBuilder(LoopBuilder b, List<Value> accs) {}

    @FunctionalInterface
    private interface RowTaps {
        List<Value> run(RowBuilder rb);
    }

    /** The last-dim taps of one input row (channel {@code ch}, outer positions {@code ins}). */
    private static List<Value> lastTaps(RowBuilder rb, Window win, ConvEmitter.LoadX loadX, Value wT, Value n, Value ch,
            List<Value> ins, Value rowBase, Value mBase, long padded, int lanes, int mv, long width, long k,
            boolean allInside, List<Value> accs) {
        LoopBuilder b = rb.b();
        int last = win.rank() - 1;
        long s = win.strides()[last];
        long d = win.dilations()[last];
        long p = win.padsBegin()[last];
        long in = win.input()[last];
        if (k <= UNROLL) {
            List<Value> cur = accs;
            for (long kk = 0; kk < k; kk++) {
                boolean[] inside = new boolean[(int) width];
                for (long o = 0; o < width; o++) {
                    long iw = o * s - p + kk * d;
                    inside[(int) o] = iw >= 0 && iw < in;
                }
                cur = tap(b, loadX, wT, n, ch, ins, rowBase, mBase, padded, lanes, mv, width, b.index(kk), s, d, p,
                        o -> inside[(int) o] ? Boolean.TRUE : Boolean.FALSE, in, cur);
            }
            return cur;
        }
        return b.forRange(b.index(0), b.index(k), b.index(1), accs, (kb, kv, cur) -> tap(kb, loadX, wT, n, ch, ins,
                rowBase, mBase, padded, lanes, mv, width, kv, s, d, p, o -> allInside ? Boolean.TRUE : null, in, cur));
    }

    /** Whether output {@code o}'s tap lies inside: TRUE, FALSE, or null (checked at run time). */
    @FunctionalInterface
    private interface Inside {
        Boolean at(long o);
    }

    private static List<Value> tap(LoopBuilder b, ConvEmitter.LoadX loadX, Value wT, Value n, Value ch, List<Value> ins,
            Value rowBase, Value mBase, long padded, int lanes, int mv, long width, Value kk, long s, long d, long p,
            Inside inside, long in, List<Value> cur) {
        Value base = b.add(b.mul(b.add(rowBase, kk), b.index(padded)), mBase);
        Value[] wv = new Value[mv];
        for (int j = 0; j < mv; j++) {
            wv[j] = b.vload(wT, List.of(b.add(base, b.index((long) j * lanes))), lanes);
        }
        List<Value> next = new ArrayList<>(cur);
        for (long o = 0; o < width; o++) {
            Boolean known = inside.at(o);
            if (Boolean.FALSE.equals(known)) {
                continue;
            }
            Value iw = b.add(b.mul(kk, b.index(d)), b.index(o * s - p));
            List<Value> idx = new ArrayList<>(List.of(n, ch));
            idx.addAll(ins);
            idx.add(iw);
            int oo = (int) o;
            if (known == null) {
                Value ok = b.binary("loop.and", b.cmp("ge", iw, b.index(0)), b.cmp("lt", iw, b.index(in)));
                List<Value> before = new ArrayList<>();
                for (int j = 0; j < mv; j++) {
                    before.add(next.get((int) (j * width + o)));
                }
                List<Value> after = b.ifElse(ok, before.stream().map(Value::type).toList(), ib -> {
                    Value xv = ib.broadcast(loadX.load(ib, idx, 1), lanes);
                    List<Value> r = new ArrayList<>();
                    for (int j = 0; j < mv; j++) {
                        r.add(ib.fma(wv[j], xv, before.get(j)));
                    }
                    return r;
                }, eb -> before);
                for (int j = 0; j < mv; j++) {
                    next.set((int) (j * width + oo), after.get(j));
                }
            } else {
                Value xv = b.broadcast(loadX.load(b, idx, 1), lanes);
                for (int j = 0; j < mv; j++) {
                    int at = (int) (j * width + oo);
                    next.set(at, b.fma(wv[j], xv, next.get(at)));
                }
            }
        }
        return next;
    }

    /** {@code for c in [0, cg)} carrying the accumulators; straight-line for one channel. */
    private static List<Value> channels(LoopBuilder b, long cg, List<Value> inits, LoopBuilder.CarriedBody body) {
        if (cg == 1) {
            return body.build(b, b.index(0), inits);
        }
        return b.forRange(b.index(0), b.index(cg), b.index(1), inits, body);
    }

    /** {@code w [group*mg, cg, taps]} as {@code [group][cg][taps][padded]}, missing filters 0. */
    private static DenseElementsAttr transpose(DenseElementsAttr w, long group, long mg, long cg, long taps, long padded) {
        long total = group * cg * taps * padded;
        if (total > Integer.MAX_VALUE / 4) {
            throw new IllegalStateException("transposed filter of " + total + " floats is too large");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) total * 4).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer out = bytes.asFloatBuffer();
        for (long g = 0; g < group; g++) {
            for (long m = 0; m < mg; m++) {
                for (long c = 0; c < cg; c++) {
                    for (long t = 0; t < taps; t++) {
                        double v = w.getDouble(((g * mg + m) * cg + c) * taps + t);
                        out.put((int) (((g * cg + c) * taps + t) * padded + m), (float) v);
                    }
                }
            }
        }
        return DenseElementsAttr.fromBytes(TensorType.of(ScalarType.F32, total), bytes.array());
    }
}
