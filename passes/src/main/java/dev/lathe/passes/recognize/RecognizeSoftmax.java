package dev.lathe.passes.recognize;

import static dev.lathe.passes.recognize.GraphMatch.keptAxes;
import static dev.lathe.passes.recognize.GraphMatch.producer;
import static dev.lathe.passes.recognize.GraphMatch.soleProducer;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.nn.DivOp;
import dev.lathe.ir.dialect.nn.SubOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Decomposed softmaxes become {@code nn.softmax} / {@code nn.log_softmax} over the axes their
 * reductions share (any axes, not only the last; all static {@code keepdims} reductions):
 * <ul>
 *   <li>{@code e / reduce_sum(e)} with {@code e = exp(x - reduce_max(x))} or {@code e = exp(x)}
 *       (rooted at the {@code nn.div}) into {@code nn.softmax};</li>
 *   <li>{@code d - log(reduce_sum(exp(d)))} with {@code d = x - reduce_max(x)} or {@code d = x}
 *       (rooted at the {@code nn.sub}) into {@code nn.log_softmax};</li>
 *   <li>{@code log(nn.softmax(x))} into {@code nn.log_softmax} with the same axes.</li>
 * </ul>
 * Every intermediate must have no other use ({@code e}: exactly the division and the sum; a
 * shifted {@code d}: the exp and the subtraction), and the root must have x's type.
 *
 * <pre>
 * %m = "nn.reduce_max"(%x) {axes = [1], keepdims = true}   %d = "nn.sub"(%x, %m)   %e = "nn.exp"(%d)
 * %s = "nn.reduce_sum"(%e) {axes = [1], keepdims = true}   %y = "nn.div"(%e, %s)
 * // becomes
 * %y = "nn.softmax"(%x) {axes = [1]}
 * </pre>
 *
 * <p>Numerics: the ops shift by the max in double and round once, the original rounds per op;
 * they differ by float rounding only, except where the unshifted form overflows ({@code exp(x)}
 * infinite: the original gives NaN, the op the proper value).
 */
public final class RecognizeSoftmax extends RewritePattern {

    @Override
    public String rootOpName() {
        return null; // nn.div, nn.sub or nn.log
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        if (op.isA(DivOp.NAME)) {
            return softmax(op, rewriter);
        }
        if (op.isA(SubOp.NAME)) {
            return logSoftmax(op, rewriter);
        }
        if (op.isA("nn.log")) {
            Operation softmax = soleProducer(op.operand(0), "nn.softmax");
            if (softmax == null) {
                return rewriter.notifyMatchFailure(op, "operand is not a softmax used only here");
            }
            return replace(op, "nn.log_softmax", softmax.operand(0), softmax.attr("axes"), rewriter);
        }
        return false;
    }

    /** {@code e / sum(e)}, {@code e = exp(x - max(x))} or {@code exp(x)}. */
    private static boolean softmax(Operation div, PatternRewriter rewriter) {
        Value e = div.operand(0);
        Operation exp = producer(e, "nn.exp");
        Operation sum = soleProducer(div.operand(1), "nn.reduce_sum");
        if (exp == null || sum == null || sum.operand(0) != e || e.uses().size() != 2) {
            return rewriter.notifyMatchFailure(div, "not exp(...) / reduce_sum(exp(...)) with exp used only there");
        }
        return finish(div, "nn.softmax", exp.operand(0), 1, sum, rewriter);
    }

    /** {@code d - log(sum(exp(d)))}, {@code d = x - max(x)} or {@code x}. */
    private static boolean logSoftmax(Operation sub, PatternRewriter rewriter) {
        Value d = sub.operand(0);
        Operation log = soleProducer(sub.operand(1), "nn.log");
        Operation sum = log == null ? null : soleProducer(log.operand(0), "nn.reduce_sum");
        Operation exp = sum == null ? null : soleProducer(sum.operand(0), "nn.exp");
        if (exp == null || exp.operand(0) != d) {
            return rewriter.notifyMatchFailure(sub, "not d - log(reduce_sum(exp(d)))");
        }
        return finish(sub, "nn.log_softmax", d, 2, sum, rewriter);
    }

    /**
     * Replaces {@code root} by the softmax of {@code d} over the sum's axes, or of {@code x} when
     * {@code d = x - reduce_max(x)} over the same axes with the max used once and {@code d} used
     * {@code uses} times (then the shift goes too; otherwise it stays, which is still exact:
     * softmax is invariant to a shift constant over each group, and d is softmaxed as it is).
     */
    private static boolean finish(Operation root, String name, Value d, int uses, Operation sum, PatternRewriter rewriter) {
        if (!(d.type() instanceof TensorType dt) || !dt.elementType().isFloat() || root.result().type() != d.type()) {
            return rewriter.notifyMatchFailure(root, "input is not float or a step broadcasts beyond its type");
        }
        long[] axes = keptAxes(sum, dt.rank());
        if (axes == null) {
            return rewriter.notifyMatchFailure(root, "the sum is not a static keepdims reduction");
        }
        Value x = d;
        Operation shift = producer(d, SubOp.NAME);
        Operation max = shift == null ? null : soleProducer(shift.operand(1), "nn.reduce_max");
        if (max != null && max.operand(0) == shift.operand(0) && d.uses().size() == uses
                && shift.operand(0).type() == d.type() && Arrays.equals(keptAxes(max, dt.rank()), axes)) {
            x = shift.operand(0);
        }
        return replace(root, name, x, ArrayAttr.ofLongs(axes), rewriter);
    }

    private static boolean replace(Operation root, String name, Value x, Attribute axes, PatternRewriter rewriter) {
        rewriter.setInsertionPointBefore(root);
        Operation op = rewriter.create(name, List.of(x), List.of(x.type()), Map.of("axes", axes), root.location());
        rewriter.replaceOp(root, op.result(0));
        return true;
    }
}
