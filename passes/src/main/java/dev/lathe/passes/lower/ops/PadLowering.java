package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
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
 * {@code nn.pad} (modes constant, reflect, edge, wrap; negative pads crop). Rows of the last dim
 * are split at compile time into the part that copies the operand (vectors) and the padded ends;
 * the outer dims map their coordinate per row by the mode's rule (numpy's, repeating for pads
 * wider than the dim), and in constant mode a row outside the operand is filled whole.
 */
final class PadLowering implements OpLowering {

    @Override
    public Set<Integer> constantOperands(Operation op) {
        return op.attr("pads") == null && op.numOperands() > 1 ? Set.of(1) : Set.of();
    }

    @Override
    public void lower(KernelContext cx) {
        Operation op = cx.op();
        long[] pads = ShapeAttrs.longs(op, "pads");
        int valueIndex = pads != null ? 1 : 2;
        if (pads == null) {
            pads = cx.constant(1).toLongs();
        }
        String mode = ShapeAttrs.string(op, "mode", "constant");
        Value x = cx.input(0);
        Value out = cx.output(0);
        long[] xs = CopyLowerings.shape(x);
        long[] os = CopyLowerings.shape(out);
        int rank = xs.length;
        MemRefType outType = (MemRefType) out.type();
        if (outType.numElements() == 0) {
            return;
        }
        for (int d = 0; d < rank; d++) {
            if (xs[d] == 0 && !mode.equals("constant")) {
                throw cx.unsupported("mode '" + mode + "' cannot pad dimension " + d + " of size 0");
            }
        }
        ScalarType et = outType.elementType();
        LoopBuilder b = cx.builder();
        Value fill = cx.hasOperand(valueIndex)
                ? b.load(cx.input(valueIndex), zeros(b, CopyLowerings.shape(cx.input(valueIndex)).length))
                : b.constant((dev.lathe.ir.type.Type) et, 0L);
        long[] begin = Arrays.copyOf(pads, rank);
        boolean empty = ((MemRefType) x.type()).numElements() == 0;
        if (rank == 0 || empty) {
            Generate.fill(cx, out, fill);
            return;
        }
        long inner = os[rank - 1];
        long n = xs[rank - 1];
        long lo = Math.clamp(begin[rank - 1], 0, inner);
        long hi = Math.clamp(begin[rank - 1] + n, lo, inner);
        int lanes = AffineCopy.lanes(cx, et, hi - lo);
        long tasks = Parallelism.tasks(cx, outType.numElements(), et, 1);
        long rows = outType.numElements() / inner;
        b.parallelEachIndex(Arrays.copyOf(os, rank - 1), rank - 1, Parallelism.grain(rows, tasks), (pb, ivs) -> {
            List<Value> src = new ArrayList<>();
            Value valid = null;
            for (int d = 0; d < rank - 1; d++) {
                Value i = pb.sub(ivs.get(d), pb.index(begin[d]));
                if (mode.equals("constant")) {
                    Value in = pb.binary("loop.and", pb.cmp("ge", i, pb.index(0)), pb.cmp("lt", i, pb.index(xs[d])));
                    valid = valid == null ? in : pb.binary("loop.and", valid, in);
                    src.add(IndexChecks.clamp(pb, i, 0, xs[d] - 1));
                } else {
                    src.add(map(pb, mode, i, xs[d]));
                }
            }
            if (valid == null) {
                row(pb, mode, x, out, ivs, src, fill, begin[rank - 1], n, inner, lo, hi, lanes);
            } else {
                pb.ifElse(valid, List.of(), tb -> {
                    row(tb, mode, x, out, ivs, src, fill, begin[rank - 1], n, inner, lo, hi, lanes);
                    return List.of();
                }, eb -> {
                    eb.forRange(0, inner, 1, (sb, j) -> sb.store(fill, out, with(ivs, j)));
                    return List.of();
                });
            }
        });
    }

    /** One row: padded head [0, lo), copied middle [lo, hi) in vectors, padded tail [hi, inner). */
    private static void row(LoopBuilder b, String mode, Value x, Value out, List<Value> ivs, List<Value> src,
            Value fill, long begin, long n, long inner, long lo, long hi, int lanes) {
        LoopBuilder.BiConsumerBuilder padded = (sb, j) -> {
            Value v = mode.equals("constant") ? fill
                    : sb.load(x, with(src, map(sb, mode, sb.sub(j, sb.index(begin)), n)));
            sb.store(v, out, with(ivs, j));
        };
        if (lo > 0) {
            b.forRange(0, lo, 1, padded);
        }
        long vectorEnd = lo + (lanes > 1 ? (hi - lo) / lanes * lanes : 0);
        if (vectorEnd > lo) {
            b.forRange(lo, vectorEnd, lanes, (vb, j) -> vb.vstore(
                    vb.vload(x, with(src, vb.sub(j, vb.index(begin))), lanes), out, with(ivs, j)));
        }
        if (vectorEnd < hi) {
            b.forRange(vectorEnd, hi, 1, (sb, j) -> sb.store(sb.load(x, with(src, sb.sub(j, sb.index(begin)))), out,
                    with(ivs, j)));
        }
        if (hi < inner) {
            b.forRange(hi, inner, 1, padded);
        }
    }

    /** The operand coordinate of coordinate {@code i} (relative to the dim's start) by {@code mode}. */
    private static Value map(LoopBuilder b, String mode, Value i, long n) {
        return switch (mode) {
            case "edge" -> IndexChecks.clamp(b, i, 0, n - 1);
            case "wrap" -> floorMod(b, i, n);
            case "reflect" -> {
                if (n == 1) {
                    yield b.index(0);
                }
                long period = 2 * (n - 1);
                Value m = floorMod(b, i, period);
                yield b.select(b.cmp("lt", m, b.index(n)), m, b.sub(b.index(period), m));
            }
            default -> IndexChecks.clamp(b, i, 0, n - 1);
        };
    }

    private static Value floorMod(LoopBuilder b, Value i, long n) {
        Value r = b.rem(i, b.index(n));
        return b.select(b.cmp("lt", r, b.index(0)), b.add(r, b.index(n)), r);
    }

    private static List<Value> with(List<Value> prefix, Value last) {
        List<Value> out = new ArrayList<>(prefix);
        out.add(last);
        return out;
    }

    private static List<Value> zeros(LoopBuilder b, int rank) {
        List<Value> out = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            out.add(b.index(0));
        }
        return out;
    }
}
