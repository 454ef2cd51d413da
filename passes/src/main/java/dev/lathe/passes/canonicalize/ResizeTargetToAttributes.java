package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.dialect.nn.ResizeOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dynamic form of {@code nn.resize} whose target (and roi) operands are inline constants
 * becomes the static form: a float target becomes {@code scales} (f32 array), an i64 one
 * {@code sizes}, the roi {@code roi}. Result type inference then makes the resized dims static,
 * which is how a frozen graph input (the CPU backend's specialization) reaches lowering. (Its
 * operands differ from the one-attribute-per-operand shape ops of {@link ShapeOperandsToAttributes}:
 * the attribute depends on the target's element type.)
 *
 * <pre>
 * %s = "nn.constant"() {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} ...
 * %y = "nn.resize"(%x, %s) {mode = "linear"} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
 * // becomes
 * %y = "nn.resize"(%x) {mode = "linear", scales = [1.0 : f32, 1.0 : f32, 2.0 : f32, 2.0 : f32]} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
 * </pre>
 */
public final class ResizeTargetToAttributes extends RewritePattern {

    @Override
    public String rootOpName() {
        return ResizeOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        int n = op.numOperands();
        if (n < 2 || op.attr("scales") != null || op.attr("sizes") != null) {
            return rewriter.notifyMatchFailure(op, "not the dynamic form");
        }
        DenseElementsAttr target = StaticForm.constant(op.operand(n - 1));
        DenseElementsAttr roi = n > 2 ? StaticForm.constant(op.operand(1)) : null;
        if (target == null || n > 2 && roi == null) {
            return rewriter.notifyMatchFailure(op, "the target or roi operand is not an inline constant");
        }
        Map<String, Attribute> attrs = new HashMap<>(op.attributes());
        if (target.elementType().isFloat()) {
            attrs.put("scales", floats(target));
        } else {
            attrs.put("sizes", ArrayAttr.ofLongs(target.toLongs()));
        }
        if (roi != null) {
            attrs.put("roi", floats(roi));
        }
        return StaticForm.replace(op, List.of(op.operand(0)), attrs, "roi and target", rewriter);
    }

    /** f32 attributes as the importer writes them; f64 values keep their precision (the interpreter reads them so). */
    private static ArrayAttr floats(DenseElementsAttr value) {
        double[] values = value.toDoubles();
        ScalarType type = value.elementType() == ScalarType.F64 ? ScalarType.F64 : ScalarType.F32;
        Attribute[] out = new Attribute[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = new FloatAttr(values[i], type);
        }
        return new ArrayAttr(List.of(out));
    }
}
