package dev.lathe.passes.lower.ops;

import static dev.lathe.passes.lower.ops.ElementwiseMath.c;

import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.RecurrentOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.List;

/**
 * One time step of {@link RecurrentLowering}'s cells for one (direction, batch entry), in f64:
 * the recurrent product {@code h·Rᵀ} added to the step's input projection (a one-row
 * {@link GemmEmitter}, vectors along the gate columns), then the cell's elementwise update over
 * the hidden units in vectors, written as the interpreter's {@code RecurrentCells} does (gate
 * order: GRU z r h, LSTM i o f c; peepholes i o f).
 */
final class RecurrentStep {

    /** The value of gate column {@code col .. col+w} once the recurrent sum {@code sum} is known. */
    @FunctionalInterface
    private interface Epilogue {
        Value apply(LoopBuilder b, Value sum, Value col, int w);
    }

    /** A body over hidden units {@code j .. j+w} ({@code w == 1}: scalars). */
    @FunctionalInterface
    interface LaneBody {
        void emit(LoopBuilder b, Value j, int w);
    }

    private static final ScalarType F64 = ScalarType.F64;

    private final KernelContext cx;
    private final RecurrentLowering.Layer l;
    private final int lanes;

    RecurrentStep(KernelContext cx, RecurrentLowering.Layer layer) {
        this.cx = cx;
        this.l = layer;
        this.lanes = cx.vectorLanes(F64);
    }

    /** Step {@code t} (an index value) of direction {@code dir}, batch entry {@code n}. */
    void emit(LoopBuilder b, int dir, Value n, Value t) {
        Value d = b.index(dir);
        Value row = b.add(b.mul(t, b.index(l.batch())), n);
        long hn = l.hidden();
        List<RecurrentLowering.Activation> f = l.activations().get(dir);
        Epilogue plusInput = (lb, sum, col, w) -> lb.add(sum, load(lb, l.xw(), List.of(d, row, col), w));
        switch (l.kind()) {
            case RNN -> {
                matvec(b, d, n, l.h(), 0, hn, plusInput);
                lanes(b, hn, lanes, (vb, j, w) -> {
                    Value h = act(vb, f.get(0), clip(vb, gate(vb, d, n, 0, j, w)));
                    emitState(vb, d, n, t, j, w, h);
                });
            }
            case GRU -> gru(b, d, n, t, row, f, plusInput);
            case LSTM -> lstm(b, d, n, t, f, plusInput);
        }
    }

    private void gru(LoopBuilder b, Value d, Value n, Value t, Value row, List<RecurrentLowering.Activation> f,
            Epilogue plusInput) {
        long hn = l.hidden();
        boolean lbr = l.linearBeforeReset();
        matvec(b, d, n, l.h(), 0, 2 * hn, plusInput);
        // z and r replace their pre-activations; r·h feeds the candidate's recurrent product.
        lanes(b, hn, lanes, (vb, j, w) -> {
            Value z = act(vb, f.get(0), clip(vb, gate(vb, d, n, 0, j, w)));
            Value r = act(vb, f.get(0), clip(vb, gate(vb, d, n, hn, j, w)));
            store(vb, z, l.gates(), List.of(d, n, j), w);
            store(vb, r, l.gates(), List.of(d, n, vb.add(j, vb.index(hn))), w);
            if (!lbr) {
                store(vb, vb.mul(r, load(vb, l.h(), List.of(d, n, j), w)), l.rh(), List.of(d, n, j), w);
            }
        });
        long rbAt = l.gateRows();
        matvec(b, d, n, lbr ? l.h() : l.rh(), 2 * hn, 3 * hn, lbr
                ? (lb, sum, col, w) -> lb.add(sum, load(lb, cx.input(3), List.of(d, lb.add(col, lb.index(rbAt))), w))
                : plusInput);
        lanes(b, hn, lanes, (vb, j, w) -> {
            Value z = gate(vb, d, n, 0, j, w);
            Value candidate = gate(vb, d, n, 2 * hn, j, w);
            if (lbr) {
                Value r = gate(vb, d, n, hn, j, w);
                Value xPart = load(vb, l.xw(), List.of(d, row, vb.add(j, vb.index(2 * hn))), w);
                candidate = vb.add(xPart, vb.mul(r, candidate));
            }
            Value hj = act(vb, f.get(1), clip(vb, candidate));
            Value hOld = load(vb, l.h(), List.of(d, n, j), w);
            Value h = vb.add(vb.mul(vb.sub(c(vb, z, 1), z), hj), vb.mul(z, hOld));
            emitState(vb, d, n, t, j, w, h);
        });
    }

    private void lstm(LoopBuilder b, Value d, Value n, Value t, List<RecurrentLowering.Activation> f,
            Epilogue plusInput) {
        long hn = l.hidden();
        matvec(b, d, n, l.h(), 0, 4 * hn, plusInput);
        Value p = cx.input(6);
        lanes(b, hn, lanes, (vb, j, w) -> {
            List<Value> at = List.of(d, n, j);
            Value cOld = load(vb, l.c(), at, w);
            Value pi = load(vb, p, List.of(d, j), w);
            Value i = act(vb, f.get(0), clip(vb, vb.add(gate(vb, d, n, 0, j, w), vb.mul(pi, cOld))));
            Value forget;
            if (l.inputForget()) {
                forget = vb.sub(c(vb, i, 1), i);
            } else {
                Value pf = load(vb, p, List.of(d, vb.add(j, vb.index(2 * hn))), w);
                forget = act(vb, f.get(0), clip(vb, vb.add(gate(vb, d, n, 2 * hn, j, w), vb.mul(pf, cOld))));
            }
            Value candidate = act(vb, f.get(1), clip(vb, gate(vb, d, n, 3 * hn, j, w)));
            Value cNew = vb.add(vb.mul(forget, cOld), vb.mul(i, candidate));
            store(vb, cNew, l.c(), at, w);
            Value po = load(vb, p, List.of(d, vb.add(j, vb.index(hn))), w);
            Value o = act(vb, f.get(0), clip(vb, vb.add(gate(vb, d, n, hn, j, w), vb.mul(po, cNew))));
            emitState(vb, d, n, t, j, w, vb.mul(o, act(vb, f.get(2), cNew)));
        });
    }

    /** The new hidden state: kept in f64 and written to {@code y[t, d, n]}. */
    private void emitState(LoopBuilder b, Value d, Value n, Value t, Value j, int w, Value h) {
        store(b, h, l.h(), List.of(d, n, j), w);
        store(b, h, cx.output(0), List.of(t, d, n, j), w);
    }

    /** {@code gates[d, n, offset + j ..]}. */
    private Value gate(LoopBuilder b, Value d, Value n, long offset, Value j, int w) {
        return load(b, l.gates(), List.of(d, n, offset == 0 ? j : b.add(j, b.index(offset))), w);
    }

    /** {@code gates[d, n, c0..c1] = epilogue(src[d, n, :]·rT[d, :, c0..c1])}. */
    private void matvec(LoopBuilder b, Value d, Value n, Value src, long c0, long c1, Epilogue epilogue) {
        long cols = c1 - c0;
        int width = GemmEmitter.fitLanes(lanes, cols);
        int vectors = width == 1 ? 1 : (int) Math.max(1, Math.min(4, cols / width));
        GemmEmitter.LoadA loadA = (lb, i, k) -> lb.load(src, List.of(d, n, k));
        GemmEmitter.LoadB loadB = (lb, k, j, w) -> load(lb, l.rT(), List.of(d, k, c0 == 0 ? j : lb.add(j, lb.index(c0))), w);
        GemmEmitter.Store store = (lb, sum, i, j, w) -> {
            Value col = c0 == 0 ? j : lb.add(j, lb.index(c0));
            store(lb, epilogue.apply(lb, sum, col, w), l.gates(), List.of(d, n, col), w);
        };
        new GemmEmitter(loadA, loadB, store, cols, l.hidden(), F64, width, vectors).rowBlock(b, b.index(0), 1);
    }

    private Value clip(LoopBuilder b, Value x) {
        return Double.isInfinite(l.clip()) ? x : ElementwiseMath.clamp(b, x, -l.clip(), l.clip());
    }

    /** The activation {@code a} on f64 {@code x}, as RecurrentCells.Activation computes it. */
    static Value act(LoopBuilder b, RecurrentLowering.Activation a, Value x) {
        return switch (a.name()) {
            case "sigmoid" -> ElementwiseMath.sigmoid(b, x);
            case "tanh" -> b.unary("loop.tanh", x);
            case "relu" -> b.max(x, c(b, x, 0));
            case "leaky_relu" -> b.select(b.cmp("ge", x, c(b, x, 0)), x, b.mul(c(b, x, a.alpha()), x));
            case "thresholded_relu" -> b.select(b.cmp("gt", x, c(b, x, a.alpha())), x, c(b, x, 0));
            case "scaled_tanh" -> b.mul(c(b, x, a.alpha()), b.unary("loop.tanh", b.mul(c(b, x, a.beta()), x)));
            case "hard_sigmoid" -> ElementwiseMath.clamp(b, b.add(b.mul(c(b, x, a.alpha()), x), c(b, x, a.beta())), 0, 1);
            case "elu" -> b.select(b.cmp("ge", x, c(b, x, 0)), x,
                    b.mul(c(b, x, a.alpha()), b.sub(b.unary("loop.exp", x), c(b, x, 1))));
            case "softsign" -> b.div(x, b.add(c(b, x, 1), b.unary("loop.abs", x)));
            case "softplus" -> ElementwiseMath.softplus(b, x);
            case "affine" -> b.add(b.mul(c(b, x, a.alpha()), x), c(b, x, a.beta()));
            default -> throw new IllegalArgumentException("activation '" + a.name() + "'");
        };
    }

    // ---- lanes, loads and stores in f64

    /** {@code body} over {@code 0 .. count} in vectors of {@code maxLanes}, the rest in scalars. */
    static void lanes(LoopBuilder b, long count, int maxLanes, LaneBody body) {
        long full = maxLanes > 1 ? count / maxLanes * maxLanes : 0;
        if (full > 0) {
            b.forRange(0, full, maxLanes, (vb, j) -> body.emit(vb, j, maxLanes));
        }
        if (full < count) {
            b.forRange(full, count, 1, (sb, j) -> body.emit(sb, j, 1));
        }
    }

    static Type type(ScalarType et, int w) {
        return w == 1 ? et : VectorType.of(w, et);
    }

    /** {@code w} elements from {@code idx} on, as f64. */
    static Value load(LoopBuilder b, Value buffer, List<Value> idx, int w) {
        return b.cast(w == 1 ? b.load(buffer, idx) : b.vload(buffer, idx, w), F64);
    }

    /** Stores f64 {@code v} rounded to the buffer's element type. */
    static void store(LoopBuilder b, Value v, Value buffer, List<Value> idx, int w) {
        Value x = b.cast(v, LoopBuilder.elementType(buffer));
        if (w == 1) {
            b.store(x, buffer, idx);
        } else {
            b.vstore(x, buffer, idx);
        }
    }
}
