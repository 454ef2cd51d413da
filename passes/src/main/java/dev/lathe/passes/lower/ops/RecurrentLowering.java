package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.RecurrentOp;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nn.rnn}, {@code nn.gru}, {@code nn.lstm} ({@link RecurrentOp}): every direction,
 * initial states, biases, peepholes, {@code sequence_lens}, activations with their alpha/beta,
 * {@code clip}, {@code linear_before_reset} and {@code input_forget}. Computed in f64 and
 * rounded once per stored result, as the interpreter does (it evaluates the cells in double).
 *
 * <p>Schedule, all in one kernel:
 * <ol>
 *   <li>prepare: {@code W} and {@code R} transposed to f64 {@code [D, I|H, G·H]} scratch (so gate
 *       columns are contiguous for vector loads) and the summed biases {@code Wb + Rb} (GRU's
 *       {@code linear_before_reset} keeps {@code Rb} of the candidate gate for the recurrent part);</li>
 *   <li>input projection for every step at once: {@code XW[d, t·B + n, :] = x[t, n]·Wᵀ + bias},
 *       one batched GEMM through {@link RowBlocks} and {@link GemmEmitter};</li>
 *   <li>recurrence: one {@code loop.parallel} over (direction, batch entry), which are
 *       independent; each runs its steps in order (the reverse direction from its last valid
 *       step), a {@link GemmEmitter} row ({@code h·Rᵀ}, vectors along the gates) and the cell's
 *       elementwise update ({@link RecurrentStep}) per step. Steps at or past a batch entry's
 *       length write zeros to {@code y}; {@code y_h}/{@code y_c} get the last state.</li>
 * </ol>
 */
final class RecurrentLowering implements OpLowering {

    private static final ScalarType F64 = ScalarType.F64;

    private final RecurrentOp.Kind kind;

    RecurrentLowering(RecurrentOp.Kind kind) {
        this.kind = kind;
    }

    /** The static facts of one op: sizes, attributes and the kernel's scratch buffers. */
    record Layer(RecurrentOp.Kind kind, long seq, long batch, long input, long hidden, int dirs, boolean reverse,
            double clip, boolean linearBeforeReset, boolean inputForget, List<List<Activation>> activations,
            ScalarType et, Value wT, Value rT, Value bias, Value xw, Value h, Value c, Value gates, Value rh) {

        long gateRows() {
            return kind.gates * hidden;
        }

        boolean backward(int d) {
            return reverse || d == 1;
        }
    }

    /** One activation function with its alpha and beta (RecurrentCells.Activation's names). */
    record Activation(String name, double alpha, double beta) {}

    @Override
    public void lower(KernelContext cx) {
        TensorType x = cx.inputType(0);
        long hidden = ((IntegerAttr) cx.op().attr("hidden_size")).value();
        String direction = cx.op().attr("direction") instanceof StringAttr s ? s.value() : "forward";
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        long seq = x.dim(0);
        long batch = x.dim(1);
        long input = x.dim(2);
        long g = kind.gates * hidden;
        double clip = ElementwiseUnaryLowerings.floatAttr(cx.op(), "clip", Double.POSITIVE_INFINITY);
        Layer layer = new Layer(kind, seq, batch, input, hidden, dirs, direction.equals("reverse"), clip,
                ElementwiseUnaryLowerings.boolAttr(cx.op(), "linear_before_reset", false),
                ElementwiseUnaryLowerings.boolAttr(cx.op(), "input_forget", false), activations(cx, dirs),
                x.elementType(),
                cx.scratch(MemRefType.of(F64, dirs, Math.max(1, input), g)),
                cx.scratch(MemRefType.of(F64, dirs, hidden, g)),
                cx.scratch(MemRefType.of(F64, dirs, g)),
                cx.scratch(MemRefType.of(F64, dirs, Math.max(1, seq * batch), g)),
                cx.scratch(MemRefType.of(F64, dirs, Math.max(1, batch), hidden)),
                kind == RecurrentOp.Kind.LSTM ? cx.scratch(MemRefType.of(F64, dirs, Math.max(1, batch), hidden)) : null,
                cx.scratch(MemRefType.of(F64, dirs, Math.max(1, batch), g)),
                kind == RecurrentOp.Kind.GRU ? cx.scratch(MemRefType.of(F64, dirs, Math.max(1, batch), hidden)) : null);
        if (batch == 0) {
            return;
        }
        prepare(cx, layer);
        project(cx, layer);
        recur(cx, layer);
    }

    private List<List<Activation>> activations(KernelContext cx, int dirs) {
        List<Attribute> names = ((ArrayAttr) cx.op().attr("activations")).elements();
        List<Attribute> alphas = ((ArrayAttr) cx.op().attr("activation_alpha")).elements();
        List<Attribute> betas = ((ArrayAttr) cx.op().attr("activation_beta")).elements();
        List<List<Activation>> out = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            List<Activation> own = new ArrayList<>();
            for (int i = d * kind.activations; i < (d + 1) * kind.activations; i++) {
                own.add(new Activation(((StringAttr) names.get(i)).value(), ((FloatAttr) alphas.get(i)).value(),
                        ((FloatAttr) betas.get(i)).value()));
            }
            out.add(own);
        }
        return out;
    }

    /** {@code wT[d, k, g] = w[d, g, k]}, {@code rT} likewise, {@code bias[d, g] = wb + rb} (f64). */
    private static void prepare(KernelContext cx, Layer l) {
        long g = l.gateRows();
        boolean lbr = l.kind() == RecurrentOp.Kind.GRU && l.linearBeforeReset();
        cx.builder().parallel(0, l.dirs() * g, 1, Math.max(1, 4096 / (l.input() + l.hidden() + 1)), (b, flat) -> {
            Value d = b.div(flat, b.index(g));
            Value row = b.rem(flat, b.index(g));
            b.forRange(0, l.input(), 1, (ib, k) -> ib.store(ib.cast(ib.load(cx.input(1), List.of(d, row, k)), F64), l.wT(),
                    List.of(d, k, row)));
            b.forRange(0, l.hidden(), 1, (ib, k) -> ib.store(ib.cast(ib.load(cx.input(2), List.of(d, row, k)), F64), l.rT(),
                    List.of(d, k, row)));
            Value wb = b.cast(b.load(cx.input(3), List.of(d, row)), F64);
            Value rb = b.cast(b.load(cx.input(3), List.of(d, b.add(row, b.index(g)))), F64);
            Value sum = b.add(wb, rb);
            if (lbr) {
                // The candidate gate's Rb is added to R·h before the reset gate multiplies it.
                sum = b.select(b.cmp("ge", row, b.index(2 * l.hidden())), wb, sum);
            }
            b.store(sum, l.bias(), List.of(d, row));
        });
    }

    /** {@code xw[d, t·B + n, :] = x[t, n, :]·wT[d] + bias[d]} for every step. */
    private static void project(KernelContext cx, Layer l) {
        long rows = l.seq() * l.batch();
        long g = l.gateRows();
        if (rows == 0) {
            return;
        }
        RowBlocks.Plan plan = RowBlocks.plan(cx, l.dirs(), rows, g, l.input(), F64);
        Value x = cx.input(0);
        RowBlocks.emit(cx.builder(), new long[] {l.dirs()}, rows, plan.mr(), plan.tasks(), (b, bidx, i0, height) -> {
            Value d = bidx.get(0);
            GemmEmitter.LoadA loadA = (lb, i, k) -> lb.cast(lb.load(x,
                    List.of(lb.div(i, lb.index(l.batch())), lb.rem(i, lb.index(l.batch())), k)), F64);
            GemmEmitter.LoadB loadB = (lb, k, j, w) -> w == 1 ? lb.load(l.wT(), List.of(d, k, j))
                    : lb.vload(l.wT(), List.of(d, k, j), w);
            GemmEmitter.Store store = (lb, sum, i, j, w) -> {
                Value bias = w == 1 ? lb.load(l.bias(), List.of(d, j)) : lb.vload(l.bias(), List.of(d, j), w);
                Value v = lb.add(sum, bias);
                if (w == 1) {
                    lb.store(v, l.xw(), List.of(d, i, j));
                } else {
                    lb.vstore(v, l.xw(), List.of(d, i, j));
                }
            };
            new GemmEmitter(loadA, loadB, store, g, l.input(), F64, plan.lanes(), plan.vectors()).rowBlock(b, i0, height);
        });
    }

    /** The recurrence: one task per (direction, batch entry), steps in order inside. */
    private void recur(KernelContext cx, Layer l) {
        RecurrentStep step = new RecurrentStep(cx, l);
        cx.builder().parallel(0, l.dirs() * l.batch(), 1, 1, (b, flat) -> {
            Value n = b.rem(flat, b.index(l.batch()));
            if (l.dirs() == 1) {
                sequence(cx, l, step, b, 0, n);
            } else {
                b.ifElse(b.cmp("lt", flat, b.index(l.batch())), List.of(), tb -> {
                    sequence(cx, l, step, tb, 0, n);
                    return List.of();
                }, eb -> {
                    sequence(cx, l, step, eb, 1, n);
                    return List.of();
                });
            }
        });
    }

    /** Direction {@code dir} (a compile-time choice: its activations and order) of batch entry {@code n}. */
    private void sequence(KernelContext cx, Layer l, RecurrentStep step, LoopBuilder b, int dir, Value n) {
        Value d = b.index(dir);
        Value len = b.index(l.seq());
        int lensOperand = kind.fixedOperands();
        if (cx.hasOperand(lensOperand)) {
            Value given = b.cast(b.load(cx.input(lensOperand), List.of(n)), ScalarType.INDEX);
            len = b.max(b.index(0), b.min(len, given));
        }
        Value lenFinal = len;
        RecurrentStep.lanes(b, l.hidden(), cx.vectorLanes(F64), (vb, j, w) -> {
            RecurrentStep.store(vb, RecurrentStep.load(vb, cx.input(4), List.of(d, n, j), w), l.h(), List.of(d, n, j), w);
            if (l.c() != null) {
                RecurrentStep.store(vb, RecurrentStep.load(vb, cx.input(5), List.of(d, n, j), w), l.c(), List.of(d, n, j), w);
            }
        });
        b.forRange(b.index(0), lenFinal, b.index(1), (sb, s) -> {
            Value t = l.backward(dir) ? sb.sub(sb.sub(lenFinal, sb.index(1)), s) : s;
            step.emit(sb, dir, n, t);
        });
        // Steps past this entry's length: y is zero.
        b.forRange(lenFinal, b.index(l.seq()), b.index(1), (zb, t) -> RecurrentStep.lanes(zb, l.hidden(),
                cx.vectorLanes(F64), (vb, j, w) -> RecurrentStep.store(vb, vb.constant(RecurrentStep.type(F64, w), 0.0),
                        cx.output(0), List.of(t, d, n, j), w)));
        RecurrentStep.lanes(b, l.hidden(), cx.vectorLanes(F64), (vb, j, w) -> {
            RecurrentStep.store(vb, RecurrentStep.load(vb, l.h(), List.of(d, n, j), w), cx.output(1), List.of(d, n, j), w);
            if (l.c() != null) {
                RecurrentStep.store(vb, RecurrentStep.load(vb, l.c(), List.of(d, n, j), w), cx.output(2), List.of(d, n, j), w);
            }
        });
    }
}
