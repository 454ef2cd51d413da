package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code nn.dft} and {@code nn.stft} ({@code DftOp}, {@code StftOp}): the DFT by direct
 * summation, {@code X[k] = Σ_j x[j]·e^(∓2πi·jk/n)}, in f64 and rounded once, as the interpreter
 * computes it. A twiddle table {@code cos, sin} of the {@code n} angles {@code ∓2π·m/n} is built
 * once per call in scratch; term {@code (j, k)} reads entry {@code jk mod n} (the interpreter's
 * angle, so large {@code n} keeps its accuracy).
 *
 * <p>Schedule: every output coefficient (DFT: each line along {@code axis} times each bin; STFT:
 * batch x frame x bin) in one {@code loop.parallel}; the sum over the signal carried by a
 * sequential loop. The lengths must be static: the dynamic forms' length operands are constant
 * operands, which {@code FourierLengthsToAttributes} turns into attributes before lowering.
 */
final class FourierLowerings {

    private static final ScalarType F64 = ScalarType.F64;

    private FourierLowerings() {}

    /** The signal's sample {@code j} (real, imaginary) for one output coefficient, in f64. */
    @FunctionalInterface
    private interface Sample {
        Value[] at(LoopBuilder b, Value j);
    }

    static final OpLowering DFT = new OpLowering() {
        @Override
        public Set<Integer> constantOperands(Operation op) {
            return op.numOperands() == 2 ? Set.of(1) : Set.of();
        }

        @Override
        public void lower(KernelContext cx) {
            dft(cx);
        }
    };

    static final OpLowering STFT = new OpLowering() {
        @Override
        public Set<Integer> constantOperands(Operation op) {
            return op.numOperands() >= 3 ? Set.of(1, 2) : Set.of();
        }

        @Override
        public void lower(KernelContext cx) {
            stft(cx);
        }
    };

    private static void dft(KernelContext cx) {
        long[] shape = cx.inputType(0).shapeArray();
        int rank = shape.length;
        long axisAttr = ((IntegerAttr) cx.op().attr("axis")).value();
        int axis = (int) (axisAttr < 0 ? axisAttr + rank : axisAttr);
        long n = cx.numOperands() == 2 ? cx.constant(1).getLong(0)
                : cx.op().attr("dft_length") instanceof IntegerAttr l ? l.value() : shape[axis];
        if (n < 1) {
            throw cx.unsupported("dft_length " + n + " (expects >= 1)");
        }
        boolean inverse = ElementwiseUnaryLowerings.boolAttr(cx.op(), "inverse", false);
        long[] outShape = ((MemRefType) cx.output(0).type()).shapeArray();
        if (cx.outputType(0).numElements() == 0) {
            return;
        }
        boolean complex = shape[rank - 1] == 2;
        long used = Math.min(n, shape[axis]);
        Value table = twiddles(cx, n, inverse);
        // Every output position but the last (real/imaginary) dim; the axis dim is the bin.
        long[] coefficients = Arrays.copyOf(outShape, rank - 1);
        Value x = cx.input(0);
        cx.builder().parallelEachIndex(coefficients, rank - 1, Math.max(1, 1024 / used), (b, idx) -> {
            Sample sample = (sb, j) -> {
                List<Value> at = new ArrayList<>(idx);
                at.set(axis, j);
                at.add(sb.index(0));
                Value re = sb.cast(sb.load(x, at), F64);
                if (!complex) {
                    return new Value[] {re, sb.constant(F64, 0.0)};
                }
                at.set(rank - 1, sb.index(1));
                return new Value[] {re, sb.cast(sb.load(x, at), F64)};
            };
            Value[] sum = transform(b, table, n, used, idx.get(axis), sample);
            if (inverse) {
                sum[0] = b.div(sum[0], b.constant(F64, (double) n));
                sum[1] = b.div(sum[1], b.constant(F64, (double) n));
            }
            store(b, sum, cx.output(0), idx);
        });
    }

    private static void stft(KernelContext cx) {
        boolean dynamic = cx.numOperands() >= 3;
        long step = dynamic ? cx.constant(1).getLong(0) : ((IntegerAttr) cx.op().attr("frame_step")).value();
        long length = dynamic ? cx.constant(2).getLong(0) : ((IntegerAttr) cx.op().attr("frame_length")).value();
        int windowOperand = cx.numOperands() == 2 || cx.numOperands() == 4 ? cx.numOperands() - 1 : -1;
        long[] shape = cx.inputType(0).shapeArray();
        long[] outShape = ((MemRefType) cx.output(0).type()).shapeArray();
        if (step < 1 || length < 1) {
            throw cx.unsupported("frame_step " + step + " and frame_length " + length + " (expects >= 1)");
        }
        if (cx.outputType(0).numElements() == 0) {
            return;
        }
        boolean complex = shape[2] == 2;
        Value table = twiddles(cx, length, false);
        Value signal = cx.input(0);
        Value window = windowOperand < 0 ? null : cx.input(windowOperand);
        long[] coefficients = Arrays.copyOf(outShape, 3);
        cx.builder().parallelEachIndex(coefficients, 3, Math.max(1, 1024 / length), (b, idx) -> {
            Value frameStart = b.mul(idx.get(1), b.index(step));
            Sample sample = (sb, j) -> {
                Value pos = sb.add(frameStart, j);
                Value w = window == null ? null : sb.cast(sb.load(window, List.of(j)), F64);
                Value re = sb.cast(sb.load(signal, List.of(idx.get(0), pos, sb.index(0))), F64);
                Value im = complex ? sb.cast(sb.load(signal, List.of(idx.get(0), pos, sb.index(1))), F64)
                        : sb.constant(F64, 0.0);
                return w == null ? new Value[] {re, im} : new Value[] {sb.mul(re, w), sb.mul(im, w)};
            };
            store(b, transform(b, table, length, length, idx.get(2), sample), cx.output(0), idx);
        });
    }

    /** {@code table[0|1, m] = cos|sin(∓2π·m/n)}, with the interpreter's expression for the angle. */
    private static Value twiddles(KernelContext cx, long n, boolean inverse) {
        Value table = cx.scratch(MemRefType.of(F64, 2, n));
        LoopBuilder b = cx.builder();
        double scale = (inverse ? 1 : -1) * 2 * Math.PI;
        b.forRange(0, n, 1, (lb, m) -> {
            Value angle = lb.div(lb.mul(lb.constant(F64, scale), lb.cast(m, F64)), lb.constant(F64, (double) n));
            lb.store(lb.unary("loop.cos", angle), table, List.of(lb.index(0), m));
            lb.store(lb.unary("loop.sin", angle), table, List.of(lb.index(1), m));
        });
        return table;
    }

    /** {@code Σ_{j < used} x[j]·(cos + i·sin)(table[jk mod n])}: {re, im}, each from {@code -0.0}. */
    private static Value[] transform(LoopBuilder b, Value table, long n, long used, Value k, Sample sample) {
        List<Value> sums = b.forRange(b.index(0), b.index(used), b.index(1),
                List.of(b.constant(F64, -0.0), b.constant(F64, -0.0)), (lb, j, carried) -> {
                    Value m = lb.rem(lb.mul(j, k), lb.index(n));
                    Value c = lb.load(table, List.of(lb.index(0), m));
                    Value s = lb.load(table, List.of(lb.index(1), m));
                    Value[] x = sample.at(lb, j);
                    Value re = lb.sub(lb.mul(x[0], c), lb.mul(x[1], s));
                    Value im = lb.add(lb.mul(x[0], s), lb.mul(x[1], c));
                    return List.of(lb.add(carried.get(0), re), lb.add(carried.get(1), im));
                });
        return new Value[] {sums.get(0), sums.get(1)};
    }

    /** Writes {re, im} to {@code out[idx..., 0|1]}, rounded to its element type. */
    private static void store(LoopBuilder b, Value[] sum, Value out, List<Value> idx) {
        ScalarType et = LoopBuilder.elementType(out);
        for (int part = 0; part < 2; part++) {
            List<Value> at = new ArrayList<>(idx);
            at.add(b.index(part));
            b.store(b.cast(sum[part], et), out, at);
        }
    }
}
