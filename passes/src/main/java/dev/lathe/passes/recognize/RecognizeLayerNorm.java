package dev.lathe.passes.recognize;

import static dev.lathe.passes.recognize.GraphMatch.affineUser;
import static dev.lathe.passes.recognize.GraphMatch.isConstant;
import static dev.lathe.passes.recognize.GraphMatch.other;
import static dev.lathe.passes.recognize.GraphMatch.producer;
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
import dev.lathe.ir.dialect.nn.LayerNormalizationOp;
import dev.lathe.ir.dialect.nn.MulOp;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.dialect.nn.PowOp;
import dev.lathe.ir.dialect.nn.SubOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decomposed LayerNorm exporters emit becomes {@code nn.layer_normalization}, rooted at the
 * {@code nn.div}: {@code d = x - mean(x)}, {@code y = d / sqrt(mean(d^2) + eps)}, where both means
 * are static {@code nn.reduce_mean}s with {@code keepdims} over the same trailing dims
 * {@code axis..rank-1}, {@code d^2} is {@code pow(d, 2)} or {@code d * d}, and {@code eps} is a
 * one-element constant. A following {@code y * gamma} and then {@code + beta} (either operand
 * order, single uses, no broadcasting beyond x's type) become its scale and bias; without them
 * the scale is a scalar constant 1.0. Every intermediate must have no other use.
 *
 * <pre>
 * %m = "nn.reduce_mean"(%x) {axes = [-1], keepdims = true}   %d = "nn.sub"(%x, %m)
 * %p = "nn.pow"(%d, %two)   %v = "nn.reduce_mean"(%p) {axes = [-1], keepdims = true}
 * %e = "nn.add"(%v, %eps)   %s = "nn.sqrt"(%e)   %n = "nn.div"(%d, %s)
 * %g = "nn.mul"(%n, %gamma) %y = "nn.add"(%g, %beta)
 * // becomes
 * %y, %mean, %inv = "nn.layer_normalization"(%x, %gamma, %beta) {axis = -1, epsilon = ...}
 * </pre>
 *
 * <p>Numerics: both compute the two-pass variance; {@code nn.layer_normalization} works in double
 * and rounds once, the original rounds after each op and divides by the root rather than
 * multiplying by its inverse, so they differ by float rounding only. {@code epsilon} keeps the
 * constant's value in x's element type, where the original added it.
 */
public final class RecognizeLayerNorm extends RewritePattern {

    private static final String REDUCE_MEAN = "nn.reduce_mean";

    @Override
    public String rootOpName() {
        return DivOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation div, PatternRewriter rewriter) {
        Value d = div.operand(0);
        Operation sqrt = soleProducer(div.operand(1), "nn.sqrt");
        Operation addEps = sqrt == null ? null : soleProducer(sqrt.operand(0), AddOp.NAME);
        if (addEps == null) {
            return rewriter.notifyMatchFailure(div, "divisor is not sqrt(variance + eps)");
        }
        int v = soleProducer(addEps.operand(0), REDUCE_MEAN) != null ? 0 : 1;
        Operation variance = soleProducer(addEps.operand(v), REDUCE_MEAN);
        Double eps = scalarConstant(addEps.operand(1 - v));
        if (variance == null || eps == null || addEps.result().type() != variance.result().type()) {
            return rewriter.notifyMatchFailure(div, "not mean(...) + a one-element constant epsilon");
        }
        Operation square = matchSquare(variance.operand(0), d);
        // d's only uses are the division and the square (d * d reads it twice).
        int expectedUses = square != null && square.isA(MulOp.NAME) ? 3 : 2;
        Operation sub = d.uses().size() == expectedUses ? producer(d, SubOp.NAME) : null;
        if (square == null || sub == null) {
            return rewriter.notifyMatchFailure(div, "variance is not mean(d^2) of the numerator d, used nowhere else");
        }
        Value x = sub.operand(0);
        Operation mean = soleProducer(sub.operand(1), REDUCE_MEAN);
        if (mean == null || mean.operand(0) != x || !(x.type() instanceof TensorType xt) || !xt.elementType().isFloat()) {
            return rewriter.notifyMatchFailure(div, "numerator is not x - mean(x) of float x");
        }
        Integer axis = trailingAxis(mean, xt.rank());
        if (axis == null || !axis.equals(trailingAxis(variance, xt.rank()))) {
            return rewriter.notifyMatchFailure(div, "means are not over the same trailing dims with keepdims");
        }
        if (List.of(sub, square, div).stream().anyMatch(op -> op.result().type() != x.type())) {
            return rewriter.notifyMatchFailure(div, "an elementwise step broadcasts beyond x's type");
        }
        List<Value> operands = new ArrayList<>(List.of(x));
        Operation last = div;
        Operation scale = affineUser(div, MulOp.NAME);
        if (scale != null) {
            operands.add(other(scale, div.result()));
            last = scale;
            Operation shift = affineUser(scale, AddOp.NAME);
            if (shift != null) {
                operands.add(other(shift, scale.result()));
                last = shift;
            }
        }
        rewriter.setInsertionPointBefore(last);
        if (operands.size() == 1) {
            operands.add(rewriter.insert(NnConstants.create(
                    DenseElementsAttr.splat(TensorType.of(xt.elementType()), 1.0), div.location())).result());
        }
        Map<String, Attribute> attrs = new TreeMap<>(Map.of("axis", IntegerAttr.of(axis - xt.rank()),
                "epsilon", new FloatAttr(eps, xt.elementType())));
        List<Type> types = new LayerNormalizationOp().inferResultTypes(operands.stream().map(Value::type).toList(), attrs);
        Operation ln = rewriter.create(LayerNormalizationOp.NAME, operands, types, attrs, last.location());
        rewriter.replaceOp(last, ln.result(0));
        return true;
    }

    /** {@code pow(d, 2)} or {@code d * d} computing {@code sq} (used once), or null. */
    private static Operation matchSquare(Value sq, Value d) {
        Operation pow = soleProducer(sq, PowOp.NAME);
        if (pow != null) {
            return pow.operand(0) == d && isConstant(pow.operand(1), 2.0) ? pow : null;
        }
        Operation mul = soleProducer(sq, MulOp.NAME);
        return mul != null && mul.operand(0) == d && mul.operand(1) == d ? mul : null;
    }
}
