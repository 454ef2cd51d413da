package dev.lathe.passes.recognize;

import static dev.lathe.passes.recognize.GraphMatch.scalarConstant;
import static dev.lathe.passes.recognize.GraphMatch.soleProducer;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.nn.AddOp;
import dev.lathe.ir.dialect.nn.AttentionOp;
import dev.lathe.ir.dialect.nn.DivOp;
import dev.lathe.ir.dialect.nn.MatmulOp;
import dev.lathe.ir.dialect.nn.MulOp;
import dev.lathe.ir.dialect.nn.TransposeOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The attention core exporters emit becomes {@code nn.attention}, rooted at the final
 * {@code nn.matmul}: {@code softmax(scale(q · kt) [+ mask]) · v}, where the softmax is over the
 * last axis only, the scaling is a division by a one-element constant {@code c} ({@code scale =
 * 1/c}) or a product with one ({@code scale = c}, either operand order), the mask add is optional
 * (either operand order), and {@code kt} is an {@code nn.transpose} swapping k's last two dims
 * ({@code k_transposed = false}) or any other value, taken as k already transposed
 * ({@code k_transposed = true}). Every intermediate (transpose included) must have no other use,
 * the scaling must not broadcast, and all operands must have rank 2 or more.
 *
 * <pre>
 * %kt = "nn.transpose"(%k) {perm = [0, 1, 3, 2]}   %s = "nn.matmul"(%q, %kt)
 * %d = "nn.div"(%s, %c8)   %a = "nn.add"(%d, %mask)   %p = "nn.softmax"(%a) {axes = [-1]}
 * %o = "nn.matmul"(%p, %v)
 * // becomes
 * %o = "nn.attention"(%q, %k, %v, %mask) {k_transposed = false, scale = 0.125 : f32}
 * </pre>
 *
 * <p>Numerics: the original rounds to the element type after each op (and divides by {@code c}
 * where the fused op multiplies by {@code 1/c} rounded to f32); {@code nn.attention} works in
 * double and rounds once, so they differ by float rounding only, except for a row whose masked
 * scores are all {@code -inf}: the original gives NaN there, {@code nn.attention} zeros.
 */
public final class RecognizeAttention extends RewritePattern {

    @Override
    public String rootOpName() {
        return MatmulOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation root, PatternRewriter rewriter) {
        Operation softmax = soleProducer(root.operand(0), "nn.softmax");
        if (softmax == null || !overLastAxis(softmax)) {
            return rewriter.notifyMatchFailure(root, "left operand is not a softmax over the last axis, used once");
        }
        Value logits = softmax.operand(0);
        Value mask = null;
        Scaled scaled = matchScaled(logits);
        Operation add = scaled == null ? soleProducer(logits, AddOp.NAME) : null;
        for (int i = 0; add != null && scaled == null && i < 2; i++) {
            scaled = matchScaled(add.operand(i));
            mask = add.operand(1 - i);
        }
        if (scaled == null) {
            return rewriter.notifyMatchFailure(root, "softmax input is not (q · kt) scaled by a one-element constant,"
                    + " plus an optional mask");
        }
        Operation qk = scaled.matmul();
        Value q = qk.operand(0);
        Value k = qk.operand(1);
        boolean kTransposed = true;
        Operation transpose = soleProducer(k, TransposeOp.NAME);
        if (transpose != null && swapsLastTwo(transpose)) {
            k = transpose.operand(0);
            kTransposed = false;
        }
        List<Value> operands = new ArrayList<>(List.of(q, k, root.operand(1)));
        if (mask != null) {
            operands.add(mask);
        }
        Map<String, Attribute> attrs = new TreeMap<>(Map.of("scale", new FloatAttr(scaled.scale(), ScalarType.F32),
                "k_transposed", BoolAttr.of(kTransposed)));
        List<Type> types;
        try {
            types = new AttentionOp().inferResultTypes(operands.stream().map(Value::type).toList(), attrs);
        } catch (InvalidOpException e) {
            return rewriter.notifyMatchFailure(root, "operands do not fit nn.attention: " + e.getMessage());
        }
        if (!types.getFirst().equals(root.result().type())
                || !softmax.result().type().equals(qk.result().type())) {
            return rewriter.notifyMatchFailure(root, "the mask or scaling broadcasts the scores, or v the result");
        }
        Operation attention = rewriter.create(AttentionOp.NAME, operands, types, attrs, root.location());
        rewriter.replaceOp(root, attention.result());
        return true;
    }

    /** Scores {@code matmul} scaled by {@code scale}. */
    private record Scaled(Operation matmul, double scale) {}

    /** {@code v = (q · kt) / c} or {@code (q · kt) * c} (either order) without broadcasting, or null. */
    private static Scaled matchScaled(Value v) {
        Operation div = soleProducer(v, DivOp.NAME);
        if (div != null) {
            Double c = scalarConstant(div.operand(1));
            Operation mm = soleProducer(div.operand(0), MatmulOp.NAME);
            return c != null && c != 0 && mm != null && sameType(mm, div) ? new Scaled(mm, 1 / c) : null;
        }
        Operation mul = soleProducer(v, MulOp.NAME);
        for (int i = 0; mul != null && i < 2; i++) {
            Double c = scalarConstant(mul.operand(i));
            Operation mm = soleProducer(mul.operand(1 - i), MatmulOp.NAME);
            if (c != null && mm != null && sameType(mm, mul)) {
                return new Scaled(mm, c);
            }
        }
        return null;
    }

    private static boolean sameType(Operation a, Operation b) {
        return a.result().type().equals(b.result().type()) && a.result().type() instanceof TensorType t
                && t.rank() >= 2 && t.elementType().isFloat();
    }

    private static boolean overLastAxis(Operation softmax) {
        long[] axes = softmax.attr("axes") instanceof ArrayAttr a ? a.asLongs() : null;
        int rank = softmax.result().type() instanceof TensorType t ? t.rank() : -1;
        return axes != null && axes.length == 1 && (axes[0] == -1 || axes[0] == rank - 1);
    }

    private static boolean swapsLastTwo(Operation transpose) {
        if (transpose.attr("perm") == null) {
            // The default reverses the dims: a swap of the last two for rank 2.
            return transpose.result().type() instanceof TensorType t && t.rank() == 2;
        }
        long[] perm = transpose.attr("perm") instanceof ArrayAttr a ? a.asLongs() : null;
        int n = perm == null ? 0 : perm.length;
        if (n < 2 || perm[n - 1] != n - 2 || perm[n - 2] != n - 1) {
            return false;
        }
        for (int i = 0; i < n - 2; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }
}
