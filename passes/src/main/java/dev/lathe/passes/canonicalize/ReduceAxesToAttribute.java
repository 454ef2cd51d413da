package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dynamic form of an {@code nn.reduce_*} whose axes operand is an inline constant becomes
 * the static form, whose result type is static. The two forms spell "no axes" differently: an
 * empty operand means every axis (none with {@code noop_with_empty_axes}), while the attribute
 * absent means every axis and {@code axes = []} none.
 *
 * <pre>
 * %a = "nn.constant"() {value = dense<[1]> : tensor<1xi64>} ...
 * %y = "nn.reduce_sum"(%x, %a) {keepdims = true} : (tensor<3x2xf32>, tensor<1xi64>) -> tensor<?x?xf32>
 * // becomes
 * %y = "nn.reduce_sum"(%x) {axes = [1], keepdims = true} : (tensor<3x2xf32>) -> tensor<3x1xf32>
 * </pre>
 */
public final class ReduceAxesToAttribute extends RewritePattern {

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        if (!op.name().startsWith("nn.reduce_") || op.numOperands() != 2 || op.attr("axes") != null) {
            return false;
        }
        DenseElementsAttr axes = StaticForm.constant(op.operand(1));
        if (axes == null) {
            return rewriter.notifyMatchFailure(op, "the axes operand is not an inline constant");
        }
        Map<String, Attribute> attrs = new HashMap<>(op.attributes());
        boolean noop = attrs.remove("noop_with_empty_axes") instanceof BoolAttr b && b.value();
        long[] values = axes.toLongs();
        if (values.length > 0 || noop) {
            attrs.put("axes", ArrayAttr.ofLongs(values));
        }
        return StaticForm.replace(op, List.of(op.operand(0)), attrs, "axes", rewriter);
    }
}
