package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.Lowerings;
import java.util.ArrayList;
import java.util.List;

/**
 * Ops whose result is generated rather than moved: {@code nn.shape} and {@code nn.size} (known at
 * compile time: stored as constants), {@code nn.constant_of_shape}, {@code nn.range},
 * {@code nn.eye_like}, {@code nn.one_hot} and the window functions (computed per element at run
 * time, in double for the windows and float ranges as the reference does).
 */
final class FillLowerings {

    private FillLowerings() {}

    static void register(Lowerings r) {
        r.register("nn.shape", FillLowerings::shape);
        r.register("nn.size", FillLowerings::size);
        r.register("nn.constant_of_shape", CopyLowerings.withConstants(FillLowerings::constantOfShape, 0));
        r.register("nn.range", CopyLowerings.withConstants(FillLowerings::range, 0, 1, 2));
        r.register("nn.eye_like", FillLowerings::eyeLike);
        r.register("nn.mel_weight_matrix", MelWeightMatrixLowering.create());
        r.register("nn.one_hot", CopyLowerings.withConstants(FillLowerings::oneHot, 2));
        for (String kind : new String[] {"hann", "hamming", "blackman"}) {
            r.register("nn." + kind + "_window", CopyLowerings.withConstants(cx -> window(cx, kind), 0));
        }
    }

    /** The selected dims, from the (static) operand type, as ShapeOp clamps start and end. */
    private static void shape(KernelContext cx) {
        long[] dims = CopyLowerings.shape(cx.input(0));
        int rank = dims.length;
        int start = clampDim(ShapeAttrs.integer(cx.op(), "start", 0), rank);
        int end = clampDim(ShapeAttrs.integer(cx.op(), "end", rank), rank);
        LoopBuilder b = cx.builder();
        for (int i = start; i < end; i++) {
            b.store(b.constant((Type) ScalarType.I64, dims[i]), cx.output(0), List.of(b.index(i - start)));
        }
    }

    private static int clampDim(long i, int rank) {
        long v = i < 0 ? i + rank : i;
        return (int) Math.max(0, Math.min(rank, v));
    }

    private static void size(KernelContext cx) {
        LoopBuilder b = cx.builder();
        long n = ((dev.lathe.ir.type.MemRefType) cx.input(0).type()).numElements();
        b.store(b.constant((Type) ScalarType.I64, n), cx.output(0), List.of());
    }

    private static void constantOfShape(KernelContext cx) {
        DenseElementsAttr v = (DenseElementsAttr) cx.op().attr("value");
        Generate.fill(cx, cx.output(0), scalar(cx.builder(), v, 0));
    }

    /** Element {@code i} of a constant as a loop constant of its element type. */
    static Value scalar(LoopBuilder b, DenseElementsAttr v, long i) {
        ScalarType et = v.elementType();
        return et.isFloat() ? b.constant(et, v.getDouble(i)) : b.constant((Type) et, v.getLong(i));
    }

    /** {@code start + i·delta}: in double (two roundings, then one to the element type) or in 64-bit integers. */
    private static void range(KernelContext cx) {
        DenseElementsAttr start = cx.constant(0);
        DenseElementsAttr delta = cx.constant(2);
        ScalarType et = LoopBuilder.elementType(cx.output(0));
        if (et.isFloat() ? delta.getDouble(0) == 0 : delta.getLong(0) == 0) {
            throw cx.unsupported("delta is 0 (an error in the reference)");
        }
        Generate.each(cx, cx.output(0), (b, ivs) -> {
            if (et.isFloat()) {
                Value i = b.cast(ivs.get(0), ScalarType.F64);
                Value v = b.add(b.constant(ScalarType.F64, start.getDouble(0)),
                        b.mul(i, b.constant(ScalarType.F64, delta.getDouble(0))));
                return b.cast(v, et);
            }
            Value i = b.cast(ivs.get(0), ScalarType.I64);
            Value v = b.add(b.constant((Type) ScalarType.I64, start.getLong(0)),
                    b.mul(i, b.constant((Type) ScalarType.I64, delta.getLong(0))));
            return b.cast(v, et);
        });
    }

    private static void eyeLike(KernelContext cx) {
        long k = ShapeAttrs.integer(cx.op(), "k", 0);
        ScalarType et = LoopBuilder.elementType(cx.output(0));
        Generate.each(cx, cx.output(0), (b, ivs) -> {
            Value onDiagonal = b.cmp("eq", b.sub(ivs.get(1), ivs.get(0)), b.index(k));
            return b.select(onDiagonal, b.constant((Type) et, 1L),
                    b.constant((Type) et, 0L));
        });
    }

    /** on where the coordinate along axis equals the (truncated, end-relative) index, off elsewhere. */
    private static void oneHot(KernelContext cx) {
        Operation op = cx.op();
        Value indices = cx.input(0);
        Value values = cx.input(1);
        long[] out = CopyLowerings.shape(cx.output(0));
        int axis = ShapeAttrs.axis(ShapeAttrs.integer(op, "axis", -1), out.length);
        long depth = out[axis];
        Generate.each(cx, cx.output(0), (b, ivs) -> {
            List<Value> at = new ArrayList<>(ivs);
            Value c = at.remove(axis);
            Value i = b.cast(b.load(indices, at), ScalarType.INDEX);
            i = b.select(b.cmp("lt", i, b.index(0)), b.add(i, b.index(depth)), i);
            Value off = b.load(values, List.of(b.index(0)));
            Value on = b.load(values, List.of(b.index(1)));
            return b.select(b.cmp("eq", c, i), on, off);
        });
    }

    /** {@code w[n] = f(2πn/N)} in double, N = size (periodic) or size - 1, N = 0 giving 1. */
    private static void window(KernelContext cx, String kind) {
        long size = CopyLowerings.shape(cx.output(0))[0];
        boolean periodic = ShapeAttrs.bool(cx.op(), "periodic", true);
        long n = periodic ? size : size - 1;
        ScalarType et = LoopBuilder.elementType(cx.output(0));
        Generate.each(cx, cx.output(0), (b, ivs) -> {
            if (n == 0) {
                return b.cast(b.constant(ScalarType.F64, 1.0), et);
            }
            Value t = b.div(b.mul(b.constant(ScalarType.F64, 2 * Math.PI), b.cast(ivs.get(0), ScalarType.F64)),
                    b.constant(ScalarType.F64, (double) n));
            Value cos = b.unary("loop.cos", t);
            Value w = switch (kind) {
                case "hann" -> b.sub(b.constant(ScalarType.F64, 0.5), b.mul(b.constant(ScalarType.F64, 0.5), cos));
                case "hamming" -> b.sub(b.constant(ScalarType.F64, 25.0 / 46),
                        b.mul(b.constant(ScalarType.F64, 21.0 / 46), cos));
                default -> b.add(b.sub(b.constant(ScalarType.F64, 0.42), b.mul(b.constant(ScalarType.F64, 0.5), cos)),
                        b.mul(b.constant(ScalarType.F64, 0.08),
                                b.unary("loop.cos", b.mul(b.constant(ScalarType.F64, 2.0), t))));
            };
            return b.cast(w, et);
        });
    }
}
