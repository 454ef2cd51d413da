package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nn.lrn}: {@code y = x / (bias + alpha / size * sum of x^2 over neighbouring channels)^beta}.
 * Parallel over {@code (n, c)}; the channel window's bounds are computed per channel (clamped to
 * the existing channels) and, for inputs with spatial dims, the innermost one runs in vectors.
 */
final class LrnLowering {

    private LrnLowering() {}

    static void lower(KernelContext cx) {
        long[] shape = cx.inputType(0).shapeArray();
        int rank = shape.length;
        long size = ReductionAttrs.integer(cx.op(), "size", 1);
        double alpha = ReductionAttrs.real(cx.op(), "alpha", 1e-4);
        double beta = ReductionAttrs.real(cx.op(), "beta", 0.75);
        double bias = ReductionAttrs.real(cx.op(), "bias", 1.0);
        long before = (size - 1) / 2;
        long after = size - 1 - before;
        long channels = shape[1];
        ScalarType ct = GroupKernel.floatCompute(cx.inputType(0).elementType());
        Value x = cx.input(0);
        Value y = cx.output(0);
        long inner = Arrays.stream(shape).skip(2).reduce(1, (a, c) -> a * c);
        if (shape[0] * channels * inner == 0) {
            return;
        }
        long last = rank > 2 ? shape[rank - 1] : 1;
        int lanes = rank > 2 ? cx.vectorLanes(ct) : 1;
        while (lanes > 1 && lanes > last) {
            lanes /= 2;
        }
        int width = lanes;
        long[] middle = rank > 2 ? Arrays.copyOfRange(shape, 2, rank - 1) : new long[0];
        long grain = ReductionSchedule.grain(cx, shape[0] * channels, inner * size * 3, ct);
        cx.builder().parallelEachIndex(new long[] {shape[0], channels}, 2, grain, (pb, nc) -> {
            Value c = nc.get(1);
            Value lo = pb.max(pb.sub(c, pb.index(before)), pb.index(0));
            Value hi = pb.min(pb.add(c, pb.index(after + 1)), pb.index(channels));
            pb.forEachIndex(middle, (mb, mid) -> {
                if (rank == 2) {
                    point(mb, x, y, nc, mid, null, 1, lo, hi, ct, alpha / size, beta, bias);
                    return;
                }
                long vectorEnd = width > 1 ? last / width * width : 0;
                if (vectorEnd > 0) {
                    mb.forRange(0, vectorEnd, width, (vb, j) -> point(vb, x, y, nc, mid, j, width, lo, hi, ct, alpha / size, beta, bias));
                }
                if (vectorEnd < last) {
                    mb.forRange(vectorEnd, last, 1, (sb, j) -> point(sb, x, y, nc, mid, j, 1, lo, hi, ct, alpha / size, beta, bias));
                }
            });
        });
    }

    private static List<Value> at(List<Value> nc, Value channel, List<Value> mid, Value j) {
        List<Value> idx = new ArrayList<>(List.of(nc.get(0), channel));
        idx.addAll(mid);
        if (j != null) {
            idx.add(j);
        }
        return idx;
    }

    private static void point(LoopBuilder b, Value x, Value y, List<Value> nc, List<Value> mid, Value j, int width,
            Value lo, Value hi, ScalarType ct, double alphaOverSize, double beta, double bias) {
        var t = width == 1 ? ct : VectorType.of(width, ct);
        Value squares = b.forRange(lo, hi, b.index(1), List.of(b.constant(t, 0.0)), (kb, k, acc) -> {
            Value v = load(kb, x, at(nc, k, mid, j), width, ct);
            return List.of(kb.fma(v, v, acc.get(0)));
        }).get(0);
        Value v = load(b, x, at(nc, nc.get(1), mid, j), width, ct);
        Value base = b.add(b.constant(t, bias), b.mul(b.constant(t, alphaOverSize), squares));
        Value r = b.div(v, b.binary("loop.pow", base, b.constant(t, beta)));
        Value out = b.cast(r, LoopBuilder.elementType(y));
        if (width == 1) {
            b.store(out, y, at(nc, nc.get(1), mid, j));
        } else {
            b.vstore(out, y, at(nc, nc.get(1), mid, j));
        }
    }

    private static Value load(LoopBuilder b, Value buffer, List<Value> idx, int width, ScalarType ct) {
        return b.cast(width == 1 ? b.load(buffer, idx) : b.vload(buffer, idx, width), ct);
    }
}
