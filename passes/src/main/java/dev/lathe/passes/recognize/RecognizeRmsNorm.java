package dev.lathe.passes.recognize;

import static dev.lathe.passes.recognize.GraphMatch.affineUser;
import static dev.lathe.passes.recognize.GraphMatch.isConstant;
import static dev.lathe.passes.recognize.GraphMatch.other;
import static dev.lathe.passes.recognize.GraphMatch.scalarConstant;
import static dev.lathe.passes.recognize.GraphMatch.soleProducer;
import static dev.lathe.passes.recognize.GraphMatch.trailingAxis;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.AddOp;
import dev.lathe.ir.dialect.nn.DivOp;
import dev.lathe.ir.dialect.nn.MulOp;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.dialect.nn.PowOp;
import dev.lathe.ir.dialect.nn.RmsNormOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decomposed RMSNorm exporters emit becomes {@code nn.rms_norm}, rooted at the op that
 * normalizes {@code x}: {@code x / r}, {@code x * reciprocal(r)} or {@code x * (1 / r)} (either
 * order), where {@code r = sqrt(mean(x^2) + eps)} or {@code pow(mean(x^2) + eps, 0.5)}, the mean a
 * static {@code nn.reduce_mean} with {@code keepdims} over the trailing dims {@code axis..rank-1},
 * {@code x^2} is {@code pow(x, 2)} or {@code x * x}, and {@code eps} a one-element inline constant
 * (either order in the add). A following {@code * gamma} (either order, sole user, no
 * broadcasting beyond x's type) becomes the scale; without it the scale is a scalar 1.0. Every
 * intermediate must have no other use.
 *
 * <pre>
 * %p = "nn.pow"(%x, %two)   %v = "nn.reduce_mean"(%p) {axes = [-1], keepdims = true}
 * %e = "nn.add"(%v, %eps)   %s = "nn.sqrt"(%e)   %r = "nn.reciprocal"(%s)
 * %n = "nn.mul"(%x, %r)     %y = "nn.mul"(%gamma, %n)
 * // becomes
 * %y = "nn.rms_norm"(%x, %gamma) {axis = -1, epsilon = ...}
 * </pre>
 *
 * <p>Numerics: {@code nn.rms_norm} works in double and rounds once, the original rounds after
 * each op, so they differ by float rounding only.
 */
public final class RecognizeRmsNorm extends RewritePattern {

    private static final String REDUCE_MEAN = "nn.reduce_mean";

    @Override
    public String rootOpName() {
        return null; // nn.div or nn.mul
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        Value x;
        Operation root;
        Operation[] chain;
        if (op.isA(DivOp.NAME)) {
            root = rootOf(op.operand(1));
            x = op.operand(0);
            chain = new Operation[] {};
        } else if (op.isA(MulOp.NAME)) {
            int r = inverseRoot(op.operand(1)) != null ? 1 : 0;
            Operation inverse = inverseRoot(op.operand(r));
            root = inverse == null ? null : rootOf(inverse.operand(inverse.numOperands() - 1));
            x = op.operand(1 - r);
            chain = new Operation[] {inverse};
        } else {
            return false;
        }
        if (root == null) {
            return rewriter.notifyMatchFailure(op, "not x divided by the root of a mean plus epsilon");
        }
        Operation addEps = soleProducer(root.operand(0), AddOp.NAME);
        int v = addEps != null && soleProducer(addEps.operand(0), REDUCE_MEAN) != null ? 0 : 1;
        Operation mean = addEps == null ? null : soleProducer(addEps.operand(v), REDUCE_MEAN);
        Double eps = addEps == null ? null : scalarConstant(addEps.operand(1 - v));
        if (mean == null || eps == null || addEps.result().type() != mean.result().type()) {
            return rewriter.notifyMatchFailure(op, "not mean(...) + a one-element constant epsilon");
        }
        Operation square = soleProducer(mean.operand(0), PowOp.NAME);
        boolean squared = square != null ? square.operand(0) == x && isConstant(square.operand(1), 2.0)
                : (square = soleProducer(mean.operand(0), MulOp.NAME)) != null
                        && square.operand(0) == x && square.operand(1) == x;
        if (!squared || !(x.type() instanceof TensorType xt) || !xt.elementType().isFloat()) {
            return rewriter.notifyMatchFailure(op, "the mean is not of the square of float x");
        }
        Integer axis = trailingAxis(mean, xt.rank());
        if (axis == null) {
            return rewriter.notifyMatchFailure(op, "the mean is not over trailing dims with keepdims");
        }
        if (square.result().type() != x.type() || op.result().type() != x.type()) {
            return rewriter.notifyMatchFailure(op, "an elementwise step broadcasts beyond x's type");
        }
        Operation last = op;
        Value scale = null;
        Operation gamma = affineUser(op, MulOp.NAME);
        if (gamma != null) {
            scale = other(gamma, op.result());
            last = gamma;
        }
        rewriter.setInsertionPointBefore(last);
        if (scale == null) {
            scale = rewriter.insert(NnConstants.create(
                    DenseElementsAttr.splat(TensorType.of(xt.elementType()), 1.0), op.location())).result();
        }
        Map<String, Attribute> attrs = new TreeMap<>(Map.of("axis", IntegerAttr.of(axis - xt.rank()),
                "epsilon", new FloatAttr(eps, xt.elementType())));
        Operation rms = rewriter.create(RmsNormOp.NAME, List.of(x, scale), List.of(x.type()), attrs, last.location());
        rewriter.replaceOp(last, rms.result(0));
        return true;
    }

    /** {@code reciprocal(r)} or {@code 1 / r} computing {@code v} (used once), or null. */
    private static Operation inverseRoot(Value v) {
        Operation reciprocal = soleProducer(v, "nn.reciprocal");
        if (reciprocal != null) {
            return reciprocal;
        }
        Operation div = soleProducer(v, DivOp.NAME);
        return div != null && isConstant(div.operand(0), 1.0) ? div : null;
    }

    /** {@code sqrt(e)} or {@code pow(e, 0.5)} computing {@code v} (used once), or null. */
    private static Operation rootOf(Value v) {
        Operation sqrt = soleProducer(v, "nn.sqrt");
        if (sqrt != null) {
            return sqrt;
        }
        Operation pow = soleProducer(v, PowOp.NAME);
        return pow != null && isConstant(pow.operand(1), 0.5) ? pow : null;
    }
}
