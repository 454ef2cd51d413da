package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pooling ops ({@code nn.max_pool} with its index result, {@code nn.average_pool},
 * {@code nn.lp_pool} and the global forms): every output element is independent, so threads
 * split the flattened output; each element walks its window's taps, skipping those in the
 * padding, carrying the running maximum (and its flat input index), or the sum and the counts
 * of taps inside the input and inside the padded input. Sums of 16-bit floats run in f32.
 * Semantics follow the reference: NaN wins a max (the first one), an empty window gives -inf
 * (max), index -1, and {@code sum / 0} is avoided (the empty sum is returned).
 */
final class PoolLowering implements OpLowering {

    enum Kind { MAX, AVERAGE, LP }

    private final Kind kind;
    private final boolean global;

    PoolLowering(Kind kind, boolean global) {
        this.kind = kind;
        this.global = global;
    }

    @Override
    public void lower(KernelContext cx) {
        Value x = cx.input(0);
        Value y = cx.output(0);
        Value indices = kind == Kind.MAX && !global && cx.op().numResults() > 1 ? cx.output(1) : null;
        MemRefType xt = (MemRefType) x.type();
        MemRefType yt = (MemRefType) y.type();
        long[] inSp = ConvLowering.spatial(xt);
        Window win = global ? Window.global(inSp)
                : Window.of(cx.op(), inSp, Window.longs(cx.op(), "kernel_shape", inSp.length, 1), ConvLowering.spatial(yt));
        ScalarType et = xt.elementType();
        ScalarType acc = GemmEmitter.accumulatorFor(et);
        boolean columnMajor = Window.integer(cx.op(), "storage_order", 0) == 1;
        boolean includePad = Window.bool(cx.op(), "count_include_pad", false);
        long p = Window.integer(cx.op(), "p", 2);
        long total = yt.numElements();
        if (total == 0) {
            return;
        }
        long taps = Window.product(win.kernel());
        long tasks = WorkSplit.tasks(cx, total, total * taps * (kind == Kind.LP ? 8 : 1));
        long[] outShape = yt.shapeArray();
        long[] inStrides = columnMajor ? columnMajorStrides(inSp) : rowMajorStrides(inSp);
        if (kind == Kind.MAX && !et.isFloat()) {
            for (int d = 0; d < win.rank(); d++) {
                long extent = (win.kernel()[d] - 1) * win.dilations()[d] + 1;
                if (win.padsBegin()[d] >= extent || win.padsEnd()[d] >= extent) {
                    // the reference's value for an all-padding window is not representable in narrow integers
                    throw cx.unsupported("integer max pooling with a window that can lie entirely in the padding");
                }
            }
        }
        long inSize = Window.product(inSp);
        LoopBuilder b = cx.builder();
        if (global && kind == Kind.AVERAGE && acc.isFloat() && inSp.length > 0 && inSize > 0) {
            globalAverage(cx, x, y, xt, inSp, acc, et);
            return;
        }
        boolean interior = true;
        for (int d = 0; d < win.rank(); d++) {
            long[] in = win.interior(d);
            interior &= in[0] == 0 && in[1] == win.output()[d];
        }
        boolean checked = !interior || includePad;
        if (kind == Kind.MAX && !checked && taps >= 1 && taps <= MAX_TREE_TAPS && win.rank() > 0) {
            // rows in parallel, the last output dim sequential: cheap addressing per window
            long width = outShape[outShape.length - 1];
            long rows = total / width;
            long rowTasks = WorkSplit.tasks(cx, rows, total * taps);
            b.parallel(0, rows, 1, WorkSplit.grain(rows, rowTasks), (pb, row) -> {
                List<Value> lead = pb.delinearize(row, Arrays.copyOf(outShape, outShape.length - 1));
                pb.forRange(0, width, 1, (wb, o) -> {
                    List<Value> pos = new ArrayList<>(lead);
                    pos.add(o);
                    finish(wb, maxTree(wb, x, win, pos, inStrides), y, indices, pos, acc, et, p, false, inSize, xt.dim(1));
                });
            });
            return;
        }
        b.parallel(0, total, 1, WorkSplit.grain(total, tasks), (pb, flat) -> {
            List<Value> pos = pb.delinearize(flat, outShape);
            List<Value> out = pos.subList(2, pos.size());
            List<Value> done = kernelLoops(pb, win, 0, new ArrayList<>(), inits(pb, acc, et), (tb, ks, cur) -> {
                List<Value> in = new ArrayList<>();
                Value inside = null;
                Value padded = null;
                for (int d = 0; d < win.rank(); d++) {
                    Value i = tb.add(tb.sub(tb.mul(out.get(d), tb.index(win.strides()[d])), tb.index(win.padsBegin()[d])),
                            tb.mul(ks.get(d), tb.index(win.dilations()[d])));
                    in.add(i);
                    if (checked) {
                        inside = and(tb, inside, within(tb, i, 0, win.input()[d]));
                    }
                    if (includePad) {
                        padded = and(tb, padded, within(tb, i, -win.padsBegin()[d], win.input()[d] + win.padsEnd()[d]));
                    }
                }
                List<Value> base = cur;
                if (includePad) {
                    base = new ArrayList<>(cur);
                    base.set(2, tb.add(cur.get(2), tb.select(padded, tb.index(1), tb.index(0))));
                }
                List<Value> kept = base;
                if (inside == null) {
                    List<Value> xi = new ArrayList<>(pos.subList(0, 2));
                    xi.addAll(in);
                    return update(tb, tb.load(x, xi), acc, p, kept, in, inStrides);
                }
                return tb.ifElse(inside, kept.stream().map(Value::type).toList(), ib -> {
                    List<Value> xi = new ArrayList<>(pos.subList(0, 2));
                    xi.addAll(in);
                    return update(ib, ib.load(x, xi), acc, p, kept, in, inStrides);
                }, eb -> kept);
            });
            finish(pb, done, y, indices, pos, acc, et, p, includePad, inSize, xt.dim(1));
        });
    }

    /**
     * Global average pooling of floats: each {@code (n, c)} plane is summed in vectors along the
     * last dim (one vector accumulator carried over the plane's rows, folded once at the end, then
     * the scalar tail of each row), divided by the plane's size. The summation order depends on
     * the shape only, never on the thread count.
     */
    private static void globalAverage(KernelContext cx, Value x, Value y, MemRefType xt, long[] inSp, ScalarType acc,
            ScalarType et) {
        long channels = xt.dim(1);
        long planes = xt.dim(0) * channels;
        long size = Window.product(inSp);
        if (planes == 0) {
            return;
        }
        int last = inSp.length - 1;
        long width = inSp[last];
        long[] lead = Arrays.copyOf(inSp, last);
        int lanes = GemmEmitter.fitLanes(cx.vectorLanes(acc), width);
        long full = lanes > 1 ? width / lanes * lanes : 0;
        long tasks = WorkSplit.tasks(cx, planes, planes * size);
        LoopBuilder b = cx.builder();
        b.parallel(0, planes, 1, WorkSplit.grain(planes, tasks), (pb, plane) -> {
            Value n = pb.div(plane, pb.index(channels));
            Value c = pb.rem(plane, pb.index(channels));
            List<Value> inits = new ArrayList<>();
            inits.add(pb.constant(acc, -0.0));
            if (full > 0) {
                inits.add(pb.constant(VectorType.of(lanes, acc), -0.0));
            }
            List<Value> sums = rows(pb, lead, 0, new ArrayList<>(), inits, (rb, rowIdx, cur) -> {
                List<Value> next = new ArrayList<>(cur);
                if (full > 0) {
                    next.set(1, rb.forRange(0, full, lanes, cur.get(1), (vb, iv) -> {
                        List<Value> idx = new ArrayList<>(List.of(n, c));
                        idx.addAll(rowIdx);
                        idx.add(iv[0]);
                        return vb.add(iv[1], vb.cast(vb.vload(x, idx, lanes), acc));
                    }));
                }
                if (full < width) {
                    next.set(0, rb.forRange(full, width, 1, cur.get(0), (sb, iv) -> {
                        List<Value> idx = new ArrayList<>(List.of(n, c));
                        idx.addAll(rowIdx);
                        idx.add(iv[0]);
                        return sb.add(iv[1], sb.cast(sb.load(x, idx), acc));
                    }));
                }
                return next;
            });
            Value sum = full > 0 ? pb.add(pb.reduce("add", sums.get(1)), sums.get(0)) : sums.get(0);
            Value mean = pb.div(sum, pb.constant(acc, (double) size));
            List<Value> out = new ArrayList<>(List.of(n, c));
            for (int d = 0; d < inSp.length; d++) {
                out.add(pb.index(0));
            }
            pb.store(pb.cast(mean, et), y, out);
        });
    }

    @FunctionalInterface
    private interface RowBody {
        List<Value> build(LoopBuilder b, List<Value> rowIdx, List<Value> carried);
    }

    /** Nested loops over the leading spatial dims {@code lead}, carrying values. */
    private static List<Value> rows(LoopBuilder b, long[] lead, int d, List<Value> idx, List<Value> carried, RowBody body) {
        if (d == lead.length) {
            return body.build(b, idx, carried);
        }
        return b.forRange(b.index(0), b.index(lead[d]), b.index(1), carried, (kb, k, cur) -> {
            List<Value> idx2 = new ArrayList<>(idx);
            idx2.add(k);
            return rows(kb, lead, d + 1, idx2, cur, body);
        });
    }

    /** Windows of at most this many taps that never reach the padding take {@link #maxTree}. */
    private static final long MAX_TREE_TAPS = 16;

    /**
     * The max of a window that lies inside the input, unrolled: every tap loaded, then combined
     * pairwise in a balanced tree, the earlier tap of a pair kept unless the later one is greater
     * or is the first NaN. That choice is the maximum of a total preorder (NaN above every number)
     * with ties to the earliest tap, which is associative, so the tree picks the same value and
     * index as the reference's left-to-right scan, with a short dependency chain.
     */
    private static List<Value> maxTree(LoopBuilder b, Value x, Window win, List<Value> pos, long[] inStrides) {
        List<Value[]> leaves = new ArrayList<>();
        int rank = win.rank();
        long taps = Window.product(win.kernel());
        for (long t = 0; t < taps; t++) {
            long[] k = win.tap(t, rank);
            List<Value> xi = new ArrayList<>(pos.subList(0, 2));
            Value position = b.index(0);
            for (int d = 0; d < rank; d++) {
                Value i = b.add(b.mul(pos.get(2 + d), b.index(win.strides()[d])),
                        b.index(k[d] * win.dilations()[d] - win.padsBegin()[d]));
                xi.add(i);
                position = b.add(position, b.mul(i, b.index(inStrides[d])));
            }
            leaves.add(new Value[] {b.load(x, xi), position});
        }
        while (leaves.size() > 1) {
            List<Value[]> next = new ArrayList<>();
            for (int i = 0; i + 1 < leaves.size(); i += 2) {
                Value[] a = leaves.get(i);
                Value[] c = leaves.get(i + 1);
                Value later = b.cmp("gt", c[0], a[0]);
                if (dev.lathe.ir.type.VectorType.scalarOf(c[0].type()).isFloat()) {
                    later = b.binary("loop.or", later, b.binary("loop.and", b.isNan(c[0]), b.unary("loop.not", b.isNan(a[0]))));
                }
                next.add(new Value[] {b.select(later, c[0], a[0]), b.select(later, c[1], a[1])});
            }
            if (leaves.size() % 2 == 1) {
                next.add(leaves.getLast());
            }
            leaves = next;
        }
        return List.of(leaves.get(0)[0], leaves.get(0)[1]);
    }

    private static Value within(LoopBuilder b, Value i, long lo, long hi) {
        return b.binary("loop.and", b.cmp("ge", i, b.index(lo)), b.cmp("lt", i, b.index(hi)));
    }

    private static Value and(LoopBuilder b, Value a, Value c) {
        return a == null ? c : b.binary("loop.and", a, c);
    }

    /** max: (best, flat input position or -1); sums: (sum, taps inside, taps inside the padded input). */
    private List<Value> inits(LoopBuilder b, ScalarType acc, ScalarType et) {
        if (kind == Kind.MAX) {
            Value best = et.isFloat() ? b.constant(et, Double.NEGATIVE_INFINITY) : b.constant((Type) et, 0L);
            return List.of(best, b.index(-1));
        }
        return List.of(b.constant(acc, -0.0), b.index(0), b.index(0));
    }

    private List<Value> update(LoopBuilder b, Value v, ScalarType acc, long p, List<Value> cur, List<Value> in,
            long[] inStrides) {
        if (kind == Kind.MAX) {
            Value best = cur.get(0);
            Value at = cur.get(1);
            Value better = b.binary("loop.or", b.cmp("lt", at, b.index(0)), b.cmp("gt", v, best));
            if (dev.lathe.ir.type.VectorType.scalarOf(v.type()).isFloat()) {
                // the first NaN wins and stays
                Value nan = b.binary("loop.and", b.isNan(v), b.unary("loop.not", b.isNan(best)));
                better = b.binary("loop.or", better, nan);
            }
            Value position = b.index(0);
            for (int d = 0; d < in.size(); d++) {
                position = b.add(position, b.mul(in.get(d), b.index(inStrides[d])));
            }
            return List.of(b.select(better, v, best), b.select(better, position, at));
        }
        Value f = b.cast(v, acc);
        Value term = switch (kind == Kind.LP ? (int) p : 1) {
            case 1 -> kind == Kind.LP ? b.unary("loop.abs", f) : f;
            case 2 -> b.mul(f, f);
            default -> b.binary("loop.pow", b.unary("loop.abs", f), b.constant(acc, (double) p));
        };
        return List.of(b.add(cur.get(0), term), b.add(cur.get(1), b.index(1)), cur.get(2));
    }

    private void finish(LoopBuilder b, List<Value> done, Value y, Value indices, List<Value> pos, ScalarType acc,
            ScalarType et, long p, boolean includePad, long inSize, long channels) {
        if (kind == Kind.MAX) {
            b.store(done.get(0), y, pos);
            if (indices != null) {
                Value at = done.get(1);
                Value base = b.mul(b.add(b.mul(pos.get(0), b.index(channels)), pos.get(1)), b.index(inSize));
                Value flat = b.select(b.cmp("lt", at, b.index(0)), b.index(-1), b.add(base, at));
                b.store(b.cast(flat, ScalarType.I64), indices, pos);
            }
            return;
        }
        Value sum = done.get(0);
        Value result;
        if (kind == Kind.AVERAGE) {
            Value count = done.get(includePad ? 2 : 1);
            Value safe = b.max(count, b.index(1));
            Value mean = b.div(sum, b.cast(safe, acc));
            result = b.select(b.cmp("eq", done.get(1), b.index(0)), sum, mean);
        } else {
            result = p == 1 ? sum : b.binary("loop.pow", sum, b.constant(acc, 1.0 / p));
        }
        b.store(b.cast(result, et), y, pos);
    }

    @FunctionalInterface
    private interface TapBody {
        List<Value> build(LoopBuilder b, List<Value> kernelPos, List<Value> carried);
    }

    /** Nested loops over the kernel's positions, carrying the running values. */
    private static List<Value> kernelLoops(LoopBuilder b, Window win, int d, List<Value> ks, List<Value> carried,
            TapBody body) {
        if (d == win.rank()) {
            return body.build(b, ks, carried);
        }
        return b.forRange(b.index(0), b.index(win.kernel()[d]), b.index(1), carried, (kb, k, cur) -> {
            List<Value> ks2 = new ArrayList<>(ks);
            ks2.add(k);
            return kernelLoops(kb, win, d + 1, ks2, cur, body);
        });
    }

    private static long[] rowMajorStrides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    /** storage_order = 1: the first spatial dim varies fastest. */
    private static long[] columnMajorStrides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = 0; d < shape.length; d++) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }
}
