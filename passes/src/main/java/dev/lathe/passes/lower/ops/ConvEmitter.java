package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A direct (im2col-free) grouped N-D convolution shared by {@code nn.conv}, {@code nn.conv_integer}
 * and {@code nn.qlinear_conv}: {@code y[n, m, o] = sum_{c, k} x[n, g*Cg + c, o*s - p + k*d] * w[m, c, k]}.
 *
 * <p>Threads split {@code N x filter blocks x output rows} (every spatial dim but the last). A
 * tile holds {@code mb} filters of one group (they share every x load) by {@code nv} vectors
 * of output width in registers, carried over channels and taps (tap loops of up to 7 unrolled).
 * When the last dim has padding or a stride, each task first stages the input rows it reads
 * ({@link #fillStage}: zeros for the padding, the stride split into phases) and then every
 * position runs unchecked in unit-stride vectors; otherwise the positions whose taps all lie
 * inside the input run unchecked in vectors and the border (or a too-large staging) runs scalar,
 * skipping padding taps as the reference does. Outer spatial taps in the padding are skipped
 * per row. Loads convert to the accumulator type (the caller
 * subtracts zero points there); the store applies bias and requantization.
 */
final class ConvEmitter {

    /** x at {@code idx} ({@code [n, c, spatial...]}), {@code width} consecutive along the last dim. */
    @FunctionalInterface
    interface LoadX {
        Value load(LoopBuilder b, List<Value> idx, int width);
    }

    /** w at {@code idx} ({@code [m, c, kernel...]}) as an accumulator-type scalar. */
    @FunctionalInterface
    interface LoadW {
        Value load(LoopBuilder b, List<Value> idx);
    }

    /** Writes finished sums at {@code idx} ({@code [n, m, out...]}), {@code width} along the last dim. */
    @FunctionalInterface
    interface Store {
        void store(LoopBuilder b, Value acc, List<Value> idx, int width);
    }

    /** The largest staging buffer (a stack slot of each task). */
    private static final long MAX_STAGE_BYTES = 32 * 1024;

    /** Kernel extents up to this are unrolled (per spatial dim). */
    private static final int UNROLL = 7;

    private final Window win;
    private final long filters;
    private final long perGroupIn;
    private final long perGroupOut;
    private final ScalarType acc;
    private final LoadX loadX;
    private final LoadW loadW;
    private final Store store;
    private final int mb;
    private final int lanes;
    private final int vectors;
    /** Rows staged per task (see {@link #stage}); the stride of the last dim; the staged row length. */
    private final boolean staged;
    private final long phases;
    private final long span;
    private final long outerTaps;
    /** The staging buffer of the task being built (set while its body is built). */
    private Value stage;

    ConvEmitter(Window win, long channels, long filters, int group, ScalarType acc, int machineLanes, LoadX loadX,
            LoadW loadW, Store store) {
        this.win = win;
        this.filters = filters;
        this.perGroupIn = channels / group;
        this.perGroupOut = filters / group;
        this.acc = acc;
        this.loadX = loadX;
        this.loadW = loadW;
        this.store = store;
        // Filters of one group per tile: they share each x load. No tail: a divisor of the group size.
        int m = 1;
        for (int cand : new int[] {4, 3, 2}) {
            if (perGroupOut % cand == 0) {
                m = cand;
                break;
            }
        }
        this.mb = m;
        int last = win.rank() - 1;
        long k = win.kernel()[last];
        this.phases = win.strides()[last];
        this.span = win.output()[last] + (k - 1) * win.dilations()[last] / phases;
        this.outerTaps = Window.product(Arrays.copyOf(win.kernel(), last));
        long stageBytes = perGroupIn * outerTaps * phases * span * acc.byteSize();
        this.staged = machineLanes > 1 && k > 0 && win.output()[last] >= 2 && stageBytes <= MAX_STAGE_BYTES
                && (phases > 1 || win.padsBegin()[last] > 0 || win.padsEnd()[last] > 0);
        long[] in = staged ? new long[] {0, win.output()[last]} : win.interior(last);
        boolean unitStride = staged || win.strides()[last] == 1;
        this.lanes = unitStride ? GemmEmitter.fitLanes(machineLanes, in[1] - in[0]) : 1;
        this.vectors = lanes > 1 && in[1] - in[0] >= 2L * lanes && mb <= 4 ? 2 : 1;
    }

    /** Whether the kernel runs {@link #stage staged}. */
    boolean staged() {
        return staged;
    }

    /** Emits the whole convolution for a batch of {@code batch} images, split over {@code tasks}. */
    void emit(LoopBuilder b, long batch, long tasks) {
        int s = win.rank();
        long[] lead = Arrays.copyOf(win.output(), s - 1);
        long rows = Window.product(lead);
        long blocks = filters / mb;
        long total = batch * blocks * rows;
        if (total == 0 || win.output()[s - 1] == 0) {
            return;
        }
        long grain = tasks > 1 ? Math.max(1, (total + tasks - 1) / tasks) : total;
        b.parallel(0, total, 1, grain, (pb, flat) -> {
            List<Value> pos = pb.delinearize(flat, new long[] {batch, blocks, Math.max(1, rows)});
            Value n = pos.get(0);
            Value m0 = pb.mul(pos.get(1), pb.index(mb));
            Value cBase = pb.mul(pb.div(m0, pb.index(perGroupOut)), pb.index(perGroupIn));
            List<Value> leadPos = lead.length == 0 ? List.of() : pb.delinearize(pos.get(2), lead);
            if (staged) {
                stage = pb.alloca(MemRefType.of(acc, perGroupIn, outerTaps, phases, span));
                fillStage(pb, n, cBase, leadPos);
            }
            row(pb, n, m0, cBase, leadPos);
        });
    }

    /** One output row: checked scalar border, unchecked vector interior, checked scalar border. */
    private void row(LoopBuilder b, Value n, Value m0, Value cBase, List<Value> lead) {
        int last = win.rank() - 1;
        long width = win.output()[last];
        long lo = 0;
        long hi = 0;
        if (staged) {
            hi = width;
        } else if (lanes > 1) {
            long[] in = win.interior(last);
            lo = in[0];
            hi = in[1];
        }
        if (lo > 0) {
            b.forRange(0, lo, 1, (sb, o) -> tile(sb, n, m0, cBase, lead, o, 1, 1, true));
        }
        long j = lo;
        long step = (long) vectors * lanes;
        long full = lo + (hi - lo) / step * step;
        if (full > lo) {
            b.forRange(lo, full, step, (vb, o) -> tile(vb, n, m0, cBase, lead, o, vectors, lanes, false));
            j = full;
        }
        for (int w = lanes; w >= 2; w /= 2) {
            while (hi - j >= w) {
                tile(b, n, m0, cBase, lead, b.index(j), 1, w, false);
                j += w;
            }
        }
        if (j < width) {
            b.forRange(j, width, 1, (sb, o) -> tile(sb, n, m0, cBase, lead, o, 1, 1, true));
        }
    }

    /** {@code mb} filters x {@code nv} vectors of {@code w} outputs starting at width position {@code o0}. */
    private void tile(LoopBuilder b, Value n, Value m0, Value cBase, List<Value> lead, Value o0, int nv, int w,
            boolean checked) {
        long taps = perGroupIn * Window.product(win.kernel());
        Type type = w == 1 ? acc : VectorType.of(w, acc);
        List<Value> inits = new ArrayList<>();
        for (int t = 0; t < mb * nv; t++) {
            inits.add(b.constant(type, acc.isFloat() && taps > 0 ? -0.0 : 0.0));
        }
        Value[] ms = new Value[mb];
        for (int q = 0; q < mb; q++) {
            ms[q] = q == 0 ? m0 : b.add(m0, b.index(q));
        }
        Value[] os = new Value[nv];
        for (int v = 0; v < nv; v++) {
            os[v] = v == 0 ? o0 : b.add(o0, b.index((long) v * w));
        }
        List<Value> sums = loop(b, perGroupIn, 1, inits, (cb, c, carried) -> {
            Value ch = cb.add(cBase, c);
            return outerTaps(cb, 0, lead, new ArrayList<>(), new ArrayList<>(), carried, (kb, ins, ks, accs) -> {
                int last = win.rank() - 1;
                return loop(kb, win.kernel()[last], UNROLL, accs, (tb, k, cur) -> {
                    Value off = tb.sub(tb.mul(k, tb.index(win.dilations()[last])), tb.index(win.padsBegin()[last]));
                    if (!checked) {
                        return accumulate(tb, n, ch, c, ms, os, ins, ks, k, off, nv, w, cur);
                    }
                    Value iw = tb.add(tb.mul(o0, tb.index(win.strides()[last])), off);
                    Value ok = tb.binary("loop.and", tb.cmp("ge", iw, tb.index(0)),
                            tb.cmp("lt", iw, tb.index(win.input()[last])));
                    return tb.ifElse(ok, types(cur), ib -> accumulate(ib, n, ch, c, ms, os, ins, ks, k, off, nv, w, cur),
                            eb -> cur);
                });
            });
        });
        for (int q = 0; q < mb; q++) {
            for (int v = 0; v < nv; v++) {
                List<Value> idx = new ArrayList<>(List.of(n, ms[q]));
                idx.addAll(lead);
                idx.add(os[v]);
                store.store(b, sums.get(q * nv + v), idx, w);
            }
        }
    }

    @FunctionalInterface
    private interface Inner {
        List<Value> build(LoopBuilder b, List<Value> inputPos, List<Value> kernelPos, List<Value> accs);
    }

    /** Loops over the taps of spatial dim {@code d} (all but the last), skipping rows in the padding. */
    private List<Value> outerTaps(LoopBuilder b, int d, List<Value> lead, List<Value> ins, List<Value> ks,
            List<Value> accs, Inner inner) {
        if (d == win.rank() - 1) {
            return inner.build(b, ins, ks, accs);
        }
        boolean mayPad = win.padsBegin()[d] > 0
                || (win.output()[d] - 1) * win.strides()[d] - win.padsBegin()[d]
                        + (win.kernel()[d] - 1) * win.dilations()[d] >= win.input()[d];
        return loop(b, win.kernel()[d], UNROLL, accs, (kb, k, cur) -> {
            Value ih = kb.add(kb.sub(kb.mul(lead.get(d), kb.index(win.strides()[d])), kb.index(win.padsBegin()[d])),
                    kb.mul(k, kb.index(win.dilations()[d])));
            List<Value> ins2 = new ArrayList<>(ins);
            ins2.add(ih);
            List<Value> ks2 = new ArrayList<>(ks);
            ks2.add(k);
            if (!mayPad) {
                return outerTaps(kb, d + 1, lead, ins2, ks2, cur, inner);
            }
            Value ok = kb.binary("loop.and", kb.cmp("ge", ih, kb.index(0)), kb.cmp("lt", ih, kb.index(win.input()[d])));
            return kb.ifElse(ok, types(cur), ib -> outerTaps(ib, d + 1, lead, ins2, ks2, cur, inner), eb -> cur);
        });
    }

    /** Adds the products of one tap to every accumulator of the tile. */
    private List<Value> accumulate(LoopBuilder b, Value n, Value ch, Value c, Value[] ms, Value[] os, List<Value> ins,
            List<Value> ks, Value k, Value off, int nv, int w, List<Value> cur) {
        Value[] xs = new Value[nv];
        if (staged) {
            // the tap k of output o reads padded position o*s + k*d: phase (k*d) mod s, element o + (k*d) div s
            int last = win.rank() - 1;
            Value kd = b.mul(k, b.index(win.dilations()[last]));
            Value phase = b.rem(kd, b.index(phases));
            Value shift = b.div(kd, b.index(phases));
            Value t = b.index(0);
            for (int d = 0; d < ks.size(); d++) {
                t = b.add(b.mul(t, b.index(win.kernel()[d])), ks.get(d));
            }
            for (int v = 0; v < nv; v++) {
                List<Value> idx = List.of(c, t, phase, b.add(os[v], shift));
                xs[v] = w == 1 ? b.load(stage, idx) : b.vload(stage, idx, w);
            }
        }
        for (int v = 0; v < nv && !staged; v++) {
            List<Value> idx = new ArrayList<>(List.of(n, ch));
            idx.addAll(ins);
            idx.add(b.add(b.mul(os[v], b.index(win.strides()[win.rank() - 1])), off));
            xs[v] = loadX.load(b, idx, w);
        }
        List<Value> next = new ArrayList<>(cur.size());
        for (int q = 0; q < mb; q++) {
            List<Value> widx = new ArrayList<>(List.of(ms[q], c));
            widx.addAll(ks);
            widx.add(k);
            Value wv = loadW.load(b, widx);
            if (w > 1) {
                wv = b.broadcast(wv, w);
            }
            for (int v = 0; v < nv; v++) {
                Value sum = cur.get(q * nv + v);
                next.add(acc.isFloat() ? b.fma(xs[v], wv, sum) : b.add(b.mul(xs[v], wv), sum));
            }
        }
        return next;
    }

    /**
     * Copies, for one task (an output row of a filter block), every input row its taps read into
     * the stack slot {@link #stage} {@code [Cg, outer taps, s, span]}, in the accumulator type (zero
     * points already subtracted), with the padding of the last dim written as zeros and the stride
     * {@code s} of the last dim split into phases: element {@code j} of phase {@code p} is padded
     * position {@code j*s + p}. The tiles then read every tap with unit-stride vector loads and no
     * border checks; a padding tap adds an exact zero product. Rows of outer taps in the padding
     * are skipped here and in the tiles.
     */
    private void fillStage(LoopBuilder b, Value n, Value cBase, List<Value> lead) {
        int last = win.rank() - 1;
        long width = win.input()[last];
        long pad = win.padsBegin()[last];
        b.forRange(0, perGroupIn, 1, (cb, c) -> {
            Value ch = cb.add(cBase, c);
            for (long t = 0; t < outerTaps; t++) {
                long[] k = win.tap(t, last);
                List<Value> ins = new ArrayList<>();
                Value ok = null;
                for (int d = 0; d < last; d++) {
                    Value ih = cb.add(cb.mul(lead.get(d), cb.index(win.strides()[d])),
                            cb.index(k[d] * win.dilations()[d] - win.padsBegin()[d]));
                    ins.add(ih);
                    Value in = cb.binary("loop.and", cb.cmp("ge", ih, cb.index(0)), cb.cmp("lt", ih, cb.index(win.input()[d])));
                    ok = ok == null ? in : cb.binary("loop.and", ok, in);
                }
                Value tv = cb.index(t);
                if (ok == null) {
                    fillRow(cb, n, ch, c, tv, ins, width, pad);
                } else {
                    cb.ifThen(ok, ib -> fillRow(ib, n, ch, c, tv, ins, width, pad));
                }
            }
        });
    }

    /** One staged row: each phase's zeros, its copied elements (vectors when the stride is 1), zeros. */
    private void fillRow(LoopBuilder b, Value n, Value ch, Value c, Value t, List<Value> ins, long width, long pad) {
        Value zero = b.constant(acc, 0.0);
        for (long ph = 0; ph < phases; ph++) {
            long p0 = ph;
            long lo = Math.min(span, Math.max(0, Math.ceilDiv(pad - ph, phases)));
            long hi = Math.min(span, Math.max(lo, Math.ceilDiv(width + pad - ph, phases)));
            Value phv = b.index(ph);
            for (long j = 0; j < lo; j++) {
                b.store(zero, stage, List.of(c, t, phv, b.index(j)));
            }
            for (long j = hi; j < span; j++) {
                b.store(zero, stage, List.of(c, t, phv, b.index(j)));
            }
            int w = phases == 1 ? GemmEmitter.fitLanes(lanes, hi - lo) : 1;
            long full = w > 1 ? lo + (hi - lo) / w * w : lo;
            if (full > lo) {
                b.forRange(lo, full, w, (vb, j) -> copy(vb, n, ch, c, t, phv, ins, j, p0, pad, w));
            }
            if (hi > full) {
                b.forRange(full, hi, 1, (sb, j) -> copy(sb, n, ch, c, t, phv, ins, j, p0, pad, 1));
            }
        }
    }

    private void copy(LoopBuilder b, Value n, Value ch, Value c, Value t, Value phv, List<Value> ins, Value j, long ph,
            long pad, int w) {
        List<Value> idx = new ArrayList<>(List.of(n, ch));
        idx.addAll(ins);
        idx.add(b.add(b.mul(j, b.index(phases)), b.index(ph - pad)));
        Value v = loadX.load(b, idx, w);
        List<Value> at = List.of(c, t, phv, j);
        if (w == 1) {
            b.store(v, stage, at);
        } else {
            b.vstore(v, stage, at);
        }
    }

    /**
     * {@code for (i = 0; i < extent; i++)} carrying {@code accs}, unrolled into straight-line code
     * when {@code extent <= unroll}: small tap loops (1x1, 3x3, 5x5 kernels) otherwise leave loop
     * overhead (and trip-one loops LLVM does not always fold) around a handful of multiply-adds.
     */
    private static List<Value> loop(LoopBuilder b, long extent, int unroll, List<Value> accs, LoopBuilder.CarriedBody body) {
        if (extent <= unroll) {
            List<Value> cur = accs;
            for (long i = 0; i < extent; i++) {
                cur = body.build(b, b.index(i), cur);
            }
            return cur;
        }
        return b.forRange(b.index(0), b.index(extent), b.index(1), accs, body);
    }

    private static List<Type> types(List<Value> values) {
        return values.stream().map(Value::type).toList();
    }
}
