package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Operation;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.dialect.nn.ReshapeOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.List;
import java.util.Map;

/**
 * A reshape whose target shape operand is a constant takes it as its {@code shape} attribute,
 * so its result type becomes static: ONNX's copied zeros ({@code copy_zero_dims}) are resolved
 * against the input's static dims. This is how {@code Shape -> Gather -> Concat -> Reshape}
 * chains end up static once {@code fold-constants} has made the shape a constant.
 *
 * <pre>
 * %s = "nn.constant"() {value = dense<[0, 128, 12, 32]> : tensor<4xi64>} ...
 * %r = "nn.reshape"(%x, %s) {copy_zero_dims = true} : (tensor<1x128x384xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
 * // becomes
 * %r = "nn.reshape"(%x) {shape = [1, 128, 12, 32]} : (tensor<1x128x384xf32>) -> tensor<1x128x12x32xf32>
 * </pre>
 */
public final class ReshapeShapeToAttribute extends RewritePattern {

    @Override
    public String rootOpName() {
        return ReshapeOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
        if (op.numOperands() != 2 || !(op.operand(1) instanceof OpResult r)
                || !r.owner().hasTrait(Trait.CONSTANT_LIKE)
                || !(r.owner().attr("value") instanceof DenseElementsAttr shapeValue)
                || !(op.operand(0).type() instanceof TensorType x)) {
            return rewriter.notifyMatchFailure(op, "the target shape is not an inline constant");
        }
        long[] shape = shapeValue.toLongs();
        boolean copyZeros = op.attr("copy_zero_dims") instanceof BoolAttr b && b.value();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0 && copyZeros) {
                if (i >= x.rank() || x.isDynamic(i)) {
                    return rewriter.notifyMatchFailure(op, "entry " + i + " copies a dimension that is not static");
                }
                shape[i] = x.dim(i);
            }
        }
        Map<String, Attribute> attrs = Map.of("shape", ArrayAttr.ofLongs(shape));
        List<Type> types;
        try {
            types = op.definition().inferResultTypes(List.of(x), attrs);
        } catch (RuntimeException invalid) {
            return rewriter.notifyMatchFailure(op, "the constant shape does not fit: " + invalid.getMessage());
        }
        rewriter.setInsertionPointBefore(op);
        Operation reshaped = rewriter.create(ReshapeOp.NAME, List.of(op.operand(0)), types, attrs, op.location());
        reshaped.result().setNameHint(op.result().nameHint());
        rewriter.replaceOp(op, reshaped.result());
        return true;
    }
}
