package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.dialect.nn.AddOp;
import dev.lathe.ir.dialect.nn.BatchNormalizationOp;
import dev.lathe.ir.dialect.nn.ConvOp;
import dev.lathe.ir.dialect.nn.MatmulOp;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fold-batch-norm}: folds an inference-mode {@code nn.batch_normalization} into the
 * {@code nn.conv} (per output channel) or 2-D {@code nn.matmul} (per output column) that feeds
 * it, when the weights, the conv bias (if any) and the four BN parameters are constants, the
 * producer has no other user and the BN's running-statistics results are unused.
 *
 * <p>With {@code s = scale / sqrt(var + epsilon)} per channel, the new weights are {@code W * s}
 * and the new bias {@code (b - mean) * s + B} ({@code b = 0} without a conv bias), computed in
 * double from the stored values and rounded once to the element type. The result equals the
 * original up to float rounding: the original rounds the conv output before normalizing, the
 * folded form rounds the scaled weights instead. A matmul gets its new bias through an
 * {@code nn.add} of a {@code [m]} constant.
 *
 * <p>No options. Counters: {@code batch-norms-folded}, {@code resources-created},
 * {@code resources-dropped}. Large new weights go into the resource table like
 * {@code fold-constants}'s results.
 *
 * <pre>
 * %y = "nn.conv"(%x, %w, %b) ...
 * %z, %rm, %rv = "nn.batch_normalization"(%y, %scale, %bias, %mean, %var) ...
 * // becomes
 * %z = "nn.conv"(%x, %w2, %b2) ...      // %w2, %b2: new nn.constant ops
 * </pre>
 */
public final class FoldBatchNormPass extends Pass {

    /** Values with more elements than this go into the resource table rather than inline. */
    private static final long MAX_INLINE_ELEMENTS = 16;

    private final PatternRewriter rewriter = new PatternRewriter();

    @Override
    public String name() {
        return "fold-batch-norm";
    }

    @Override
    public String description() {
        return "fold inference batch normalization into the constant weights of the conv or matmul before it";
    }

    @Override
    public void run(Module module, PassContext context) {
        List<Operation> batchNorms = new ArrayList<>();
        module.walk((Operation op) -> {
            if (op.isA(BatchNormalizationOp.NAME)) {
                batchNorms.add(op);
            }
        });
        Set<String> maybeUnused = new HashSet<>();
        for (Operation bn : batchNorms) {
            if (fold(bn, module, maybeUnused, context)) {
                context.increment("batch-norms-folded");
            }
        }
        context.add("resources-dropped", ResourceConstants.dropUnreferenced(module, maybeUnused));
    }

    /** Folds {@code bn} into its producer if every condition holds; returns whether it did. */
    private boolean fold(Operation bn, Module module, Set<String> maybeUnused, PassContext context) {
        if (bn.attr("training_mode") instanceof BoolAttr b && b.value()
                || bn.result(1).hasUses() || bn.result(2).hasUses()
                || !(bn.operand(0) instanceof OpResult r) || r.users().size() != 1 || r.uses().size() != 1) {
            return false;
        }
        Operation producer = r.owner();
        boolean isConv = producer.isA(ConvOp.NAME);
        // A matmul with transpose_a / transpose_b (fold-transpose-into-matmul) is left alone: the
        // rebuilt product below has no attributes and scales B's columns in its stored layout.
        if (!isConv && (!producer.isA(MatmulOp.NAME) || producer.attr("transpose_a") != null
                        || producer.attr("transpose_b") != null)
                || !(producer.result().type() instanceof TensorType yType) || !yType.elementType().isFloat()) {
            return false;
        }
        List<DenseElementsAttr> params = new ArrayList<>();
        for (int i = 1; i < 5; i++) {
            DenseElementsAttr p = constantValue(bn.operand(i), module);
            if (p == null) {
                return false;
            }
            params.add(p);
        }
        DenseElementsAttr w = constantValue(producer.operand(1), module);
        DenseElementsAttr bias = null;
        if (isConv && producer.numOperands() > 2 && (bias = constantValue(producer.operand(2), module)) == null) {
            return false;
        }
        if (w == null || !isConv && (w.type().rank() != 2 || yType.rank() != 2)) {
            return false;
        }
        long channels = isConv ? w.type().dim(0) : w.type().dim(1);
        if (params.stream().anyMatch(p -> p.numElements() != channels)) {
            return false;
        }
        double epsilon = bn.attr("epsilon") instanceof FloatAttr f ? f.value() : 1e-5;
        double[] s = new double[(int) channels];
        double[] newBias = new double[(int) channels];
        for (int c = 0; c < channels; c++) {
            s[c] = params.get(0).getDouble(c) / Math.sqrt(params.get(3).getDouble(c) + epsilon);
            double b = bias == null ? 0 : bias.getDouble(c);
            newBias[c] = (b - params.get(2).getDouble(c)) * s[c] + params.get(1).getDouble(c);
        }
        double[] weights = w.toDoubles();
        long perChannel = w.numElements() / Math.max(1, channels);
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= s[(int) (isConv ? i / perChannel : i % channels)];
        }
        rewriter.setInsertionPointBefore(producer);
        Value newW = constant(DenseElementsAttr.fromDoubles(w.type(), weights), producer, module, context);
        TensorType biasType = TensorType.of(yType.elementType(), new long[] {channels});
        Value newB = constant(DenseElementsAttr.fromDoubles(biasType, newBias), producer, module, context);
        Value result;
        if (isConv) {
            result = rewriter.create(ConvOp.NAME, List.of(producer.operand(0), newW, newB), List.of(yType),
                    producer.attributes(), producer.location()).result();
        } else {
            Value product = rewriter.create(MatmulOp.NAME, List.of(producer.operand(0), newW), List.of(yType),
                    Map.of(), producer.location()).result();
            result = rewriter.create(AddOp.NAME, List.of(product, newB), List.of(yType), Map.of(), bn.location()).result();
        }
        result.setNameHint(bn.result(0).nameHint());
        rewriter.replaceAllUsesWith(bn.result(0), result);
        List<Value> inputs = new ArrayList<>(bn.operands().subList(1, 5));
        inputs.addAll(producer.operands().subList(1, producer.numOperands()));
        rewriter.eraseOp(bn);
        rewriter.eraseOp(producer);
        for (Value v : inputs) {
            if (v instanceof OpResult c && !c.hasUses() && c.owner().block() != null) {
                if (c.owner().attr("value") instanceof DenseResourceAttr res) {
                    maybeUnused.add(res.name());
                }
                rewriter.eraseOp(c.owner());
            }
        }
        return true;
    }

    /** The value of an {@code nn.constant} operand, or null when it is not one or cannot be read. */
    private static DenseElementsAttr constantValue(Value v, Module module) {
        if (!(v instanceof OpResult r) || !NnConstants.isConstant(r.owner())) {
            return null;
        }
        try {
            return NnConstants.valueOf(r.owner(), module);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** A new {@code nn.constant} before {@code anchor}, its value inline or in a resource blob. */
    private Value constant(DenseElementsAttr value, Operation anchor, Module module, PassContext context) {
        Attribute attr = value;
        if (!value.isSplat() && value.numElements() > MAX_INLINE_ELEMENTS) {
            attr = ResourceConstants.resource(module, "folded", value.type(), value.toBytes());
            context.increment("resources-created");
        }
        return rewriter.insert(NnConstants.create(attr, anchor.location())).result();
    }


}
