package dev.lathe.passes.lower.ops;

import static dev.lathe.passes.lower.ops.ElementwiseUnaryLowerings.floatAttr;

import dev.lathe.ir.Value;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.OptimizerOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code nn.adagrad}, {@code nn.adam}, {@code nn.momentum} ({@link OptimizerOp}): one optimizer
 * step for each of the {@code n} tensors, every element independent. Computed in f64 and
 * rounded once per result, with the interpreter's formulas and evaluation order (the step's
 * rate, which depends only on {@code r} and {@code t}, is computed once per call).
 *
 * <p>Schedule: per optimized tensor, one {@code loop.parallel} over its elements writing the new
 * tensor and its new states.
 */
final class OptimizerLowering implements OpLowering {

    private static final ScalarType F64 = ScalarType.F64;

    private final OptimizerOp.Kind kind;

    OptimizerLowering(OptimizerOp.Kind kind) {
        this.kind = kind;
    }

    private int states() {
        return kind == OptimizerOp.Kind.ADAM ? 2 : 1;
    }

    @Override
    public void lower(KernelContext cx) {
        int states = states();
        int n = (cx.numOperands() - 2) / (2 + states);
        LoopBuilder b = cx.builder();
        Value r = b.cast(b.load(cx.input(0), zeros(b, cx.inputType(0).rank())), F64);
        Value t = b.cast(b.load(cx.input(1), zeros(b, cx.inputType(1).rank())), ScalarType.I64);
        Value tf = b.cast(t, F64);
        Value positive = b.cmp("gt", t, b.constant((dev.lathe.ir.type.Type) ScalarType.I64, 0L));
        double norm = floatAttr(cx.op(), "norm_coefficient", 0);
        // adagrad and adam: the step's learning rate; momentum: the gradient's factor.
        Value rate = switch (kind) {
            case ADAGRAD -> b.div(r, b.add(b.constant(F64, 1.0), b.mul(tf, b.constant(F64, floatAttr(cx.op(), "decay_factor", 0)))));
            case ADAM -> {
                Value alpha = b.constant(F64, floatAttr(cx.op(), "alpha", 0.9));
                Value beta = b.constant(F64, floatAttr(cx.op(), "beta", 0.999));
                Value one = b.constant(F64, 1.0);
                Value corrected = b.div(b.mul(r, b.unary("loop.sqrt", b.sub(one, b.binary("loop.pow", beta, tf)))),
                        b.sub(one, b.binary("loop.pow", alpha, tf)));
                yield b.select(positive, corrected, r);
            }
            case MOMENTUM -> b.select(positive, b.constant(F64, floatAttr(cx.op(), "beta", 0)), b.constant(F64, 1.0));
        };
        for (int i = 0; i < n; i++) {
            long[] shape = cx.inputType(2 + i).shapeArray();
            if (cx.inputType(2 + i).numElements() == 0) {
                continue;
            }
            int tensor = i;
            b.parallelEachIndex(shape, shape.length, 1024, (eb, idx) -> {
                Value x = load(eb, cx.input(2 + tensor), idx);
                Value g = eb.add(eb.mul(eb.constant(F64, norm), x), load(eb, cx.input(2 + n + tensor), idx));
                Value s0 = load(eb, cx.input(2 + 2 * n + tensor), idx);
                switch (kind) {
                    case ADAGRAD -> {
                        Value h = eb.add(s0, eb.mul(g, g));
                        Value step = eb.div(eb.mul(rate, g),
                                eb.add(eb.unary("loop.sqrt", h), eb.constant(F64, floatAttr(cx.op(), "epsilon", 0))));
                        eb.store(eb.cast(eb.sub(x, step), et(cx, tensor)), cx.output(tensor), idx);
                        eb.store(eb.cast(h, et(cx, tensor)), cx.output(n + tensor), idx);
                    }
                    case ADAM -> {
                        double alpha = floatAttr(cx.op(), "alpha", 0.9);
                        double beta = floatAttr(cx.op(), "beta", 0.999);
                        Value h0 = load(eb, cx.input(2 + 3 * n + tensor), idx);
                        Value v = eb.add(eb.mul(eb.constant(F64, alpha), s0), eb.mul(eb.constant(F64, 1 - alpha), g));
                        Value h = eb.add(eb.mul(eb.constant(F64, beta), h0), eb.mul(eb.mul(eb.constant(F64, 1 - beta), g), g));
                        Value denom = eb.add(eb.unary("loop.sqrt", h), eb.constant(F64, floatAttr(cx.op(), "epsilon", 1e-6)));
                        Value step = eb.sub(x, eb.mul(rate, eb.div(v, denom)));
                        Value xNew = eb.mul(eb.constant(F64, 1 - floatAttr(cx.op(), "norm_coefficient_post", 0)), step);
                        eb.store(eb.cast(xNew, et(cx, tensor)), cx.output(tensor), idx);
                        eb.store(eb.cast(v, et(cx, tensor)), cx.output(n + tensor), idx);
                        eb.store(eb.cast(h, et(cx, tensor)), cx.output(2 * n + tensor), idx);
                    }
                    case MOMENTUM -> {
                        double alpha = floatAttr(cx.op(), "alpha", 0);
                        Value v = eb.add(eb.mul(eb.constant(F64, alpha), s0), eb.mul(rate, g));
                        boolean nesterov = cx.op().attr("mode") instanceof StringAttr m && m.value().equals("nesterov");
                        Value direction = nesterov ? eb.add(g, eb.mul(eb.constant(F64, alpha), v)) : v;
                        eb.store(eb.cast(eb.sub(x, eb.mul(r, direction)), et(cx, tensor)), cx.output(tensor), idx);
                        eb.store(eb.cast(v, et(cx, tensor)), cx.output(n + tensor), idx);
                    }
                }
            });
        }
    }

    private static ScalarType et(KernelContext cx, int tensor) {
        return cx.outputType(tensor).elementType();
    }

    private static Value load(LoopBuilder b, Value buffer, List<Value> idx) {
        return b.cast(b.load(buffer, idx), F64);
    }

    private static List<Value> zeros(LoopBuilder b, int rank) {
        return new ArrayList<>(Collections.nCopies(rank, b.index(0)));
    }
}
