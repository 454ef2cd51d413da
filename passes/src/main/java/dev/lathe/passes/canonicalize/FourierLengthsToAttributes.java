package dev.lathe.passes.canonicalize;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.dialect.nn.DftOp;
import dev.lathe.ir.dialect.nn.StftOp;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dynamic form of {@code nn.stft} ({@code frame_step}, {@code frame_length} operands) and of
 * {@code nn.dft} ({@code dft_length} operand) with inline-constant lengths becomes the static form,
 * whose result type is static: the frame count and bin count follow from the lengths. A frozen
 * graph input (the CPU backend's specialization) then reaches lowering with static types. (Kept
 * apart from {@link ShapeOperandsToAttributes}: these attributes are single integers and the
 * window operand moves from #3 to #1.)
 *
 * <pre>
 * %s = "nn.constant"() {value = dense<8> : tensor<i64>} ...
 * %l = "nn.constant"() {value = dense<16> : tensor<1xi64>} ...
 * %y = "nn.stft"(%x, %s, %l) {onesided = true} : (tensor<1x128x1xf32>, tensor<i64>, tensor<1xi64>) -> tensor<1x?x?x2xf32>
 * // becomes
 * %y = "nn.stft"(%x) {frame_length = 16, frame_step = 8, onesided = true} : (tensor<1x128x1xf32>) -> tensor<1x15x9x2xf32>
 * </pre>
 */
public final class FourierLengthsToAttributes extends RewritePattern {

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        boolean stft = op.isA(StftOp.NAME) && op.numOperands() >= 3;
        if (!stft && !(op.isA(DftOp.NAME) && op.numOperands() == 2)) {
            return false;
        }
        Map<String, Attribute> attrs = new HashMap<>(op.attributes());
        List<Value> operands = new ArrayList<>();
        operands.add(op.operand(0));
        if (stft) {
            if (!put(attrs, "frame_step", op.operand(1)) || !put(attrs, "frame_length", op.operand(2))) {
                return rewriter.notifyMatchFailure(op, "frame_step or frame_length is not an inline constant");
            }
            if (op.numOperands() == 4) {
                operands.add(op.operand(3)); // the window
            }
        } else if (!put(attrs, "dft_length", op.operand(1))) {
            return rewriter.notifyMatchFailure(op, "dft_length is not an inline constant");
        }
        return StaticForm.replace(op, operands, attrs, "lengths", rewriter);
    }

    /** Sets {@code name} to the single integer {@code v} holds; false when it is no inline constant. */
    private static boolean put(Map<String, Attribute> attrs, String name, Value v) {
        if (v instanceof OpResult r && r.owner().hasTrait(Trait.CONSTANT_LIKE)
                && r.owner().attr("value") instanceof DenseElementsAttr d && d.numElements() == 1) {
            attrs.put(name, IntegerAttr.of(d.getLong(0)));
            return true;
        }
        return false;
    }
}
