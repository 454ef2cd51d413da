package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.OpDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Folding at import time: an op just made whose operands are all known
 * (nn.constant or frozen inputs) is evaluated by its reference semantics, and one whose own
 * {@code fold} gives constants ({@code nn.shape} of a static type) is folded, and it is replaced
 * by {@code nn.constant}s, so chains such as {@code Shape -> Slice -> Concat -> Reshape} give static
 * shapes to the ops downstream. Results of more than {@link #MAX_ELEMENTS} elements are left as
 * ops, so no large constant is materialized.
 */
public final class ImportTimeFolding {

    /** The largest result folded, in elements. */
    static final long MAX_ELEMENTS = 1 << 16;

    private ImportTimeFolding() {}

    /** The results of {@code op}, or constants replacing it when it folds. */
    static List<Value> results(ConversionContext ctx, Operation op) {
        List<Value> results = new ArrayList<>(op.results());
        OpDefinition def = op.definition();
        if (def == null || !def.hasReferenceSemantics()) {
            return results;
        }
        List<DenseElementsAttr> operands = new ArrayList<>();
        for (Value v : op.operands()) {
            operands.add(ctx.probeConstantValue(v));
        }
        List<DenseElementsAttr> values;
        try {
            values = operands.contains(null) ? foldedConstants(op, def, operands) : def.evaluate(op, operands);
        } catch (RuntimeException e) {
            return results; // left for run time, which reports it with the op's location
        }
        if (values == null) {
            return results;
        }
        long total = values.stream().mapToLong(DenseElementsAttr::numElements).sum();
        if (total > MAX_ELEMENTS) {
            return results;
        }
        List<Value> folded = new ArrayList<>();
        for (DenseElementsAttr v : values) {
            folded.add(ctx.constant(v));
        }
        op.erase();
        return folded;
    }

    /** The op's own fold when it gives constants for every result (nn.shape of a static type), else null. */
    private static List<DenseElementsAttr> foldedConstants(Operation op, OpDefinition def,
            List<DenseElementsAttr> operands) {
        List<FoldResult> fold = def.fold(op, new ArrayList<Attribute>(operands));
        if (fold == null || fold.size() != op.numResults()) {
            return null;
        }
        List<DenseElementsAttr> out = new ArrayList<>();
        for (FoldResult f : fold) {
            if (!(f instanceof FoldResult.Constant c) || !(c.value() instanceof DenseElementsAttr d)) {
                return null;
            }
            out.add(d);
        }
        return out;
    }

    /**
     * Folds the ops that produced a node's outputs when their operands are all known, so shape
     * arithmetic done with ordinary ops (Sub, Mul, Cast on a Shape) also ends up constant. Ops
     * whose results are already used elsewhere are left alone.
     */
    public static List<Value> foldOutputs(ConversionContext ctx, List<Value> outputs) {
        if (outputs == null) {
            return null;
        }
        List<Value> folded = new ArrayList<>(outputs);
        for (int i = 0; i < folded.size(); i++) {
            if (!(folded.get(i) instanceof dev.lathe.ir.OpResult r) || r.owner().hasTrait(dev.lathe.ir.dialect.Trait.CONSTANT_LIKE)
                    || r.owner().block() == null || r.owner().hasUsesOfResults() || !r.owner().hasTrait(dev.lathe.ir.dialect.Trait.PURE)) {
                continue;
            }
            Operation op = r.owner();
            List<Value> replaced = results(ctx, op);
            for (int j = 0; j < folded.size(); j++) {
                if (folded.get(j) instanceof dev.lathe.ir.OpResult o && o.owner() == op) {
                    folded.set(j, replaced.get(o.index()));
                }
            }
        }
        return folded;
    }

    /** {@link #results} of a single-result op given by its value. */
    static Value result(ConversionContext ctx, Value value) {
        return results(ctx, ((dev.lathe.ir.OpResult) value).owner()).get(0);
    }
}
