package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.DropoutOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code Dropout} in its deterministic forms: the output is the input itself and the
 * optional {@code mask} a constant of ones (i1 from opset 10 on, the input's element type
 * before), which needs a static input shape.
 *
 * <p>Deterministic means: opsets 7 to 11 (inference only); opsets 1 to 6 with {@code is_test = 1};
 * from opset 12 on, {@code training_mode} absent or a constant false, or a constant {@code ratio}
 * of 0. Training with a non-zero constant ratio is random and rejected; a training flag known
 * only at run time becomes {@code nn.dropout}, whose reference semantics accept the
 * deterministic cases and reject the random one when it happens.
 */
final class DropoutConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value x = node.input(0);
        if (node.opset() < 7 && node.intOr("is_test", 0) == 0 && node.floatOr("ratio", 0.5f) != 0) {
            throw node.unsupported("training-mode dropout (is_test = 0) is random");
        }
        if (node.opset() >= 12 && node.hasInput(2)) {
            DenseElementsAttr training = ctx.probeConstantValue(node.input(2));
            if (training == null) {
                return runTime(node, ctx);
            }
            if (training.getLong(0) != 0 && !ratioIsZero(node, ctx)) {
                throw node.unsupported("training-mode dropout with a non-zero ratio is random");
            }
        }
        List<Value> outputs = new ArrayList<>(List.of(x));
        if (node.numOutputs() > 1 && !node.outputNames().get(1).isEmpty()) {
            TensorType xt = node.inputType(0);
            if (!xt.hasStaticShape()) {
                throw node.unsupported("a mask output for an input of dynamic shape " + xt.text());
            }
            ScalarType maskType = node.opset() >= 10 ? ScalarType.I1 : xt.elementType();
            outputs.add(ctx.constant(DenseElementsAttr.splat(TensorType.of(maskType, xt.shapeArray()), 1)));
        }
        return outputs;
    }

    /** Flags known only at run time: {@code nn.dropout} checks there that the case is deterministic. */
    private static List<Value> runTime(OnnxNode node, ConversionContext ctx) {
        Value ratio = node.hasInput(1) ? node.input(1) : ctx.constant(
                DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32), 0.5));
        Operation op = ctx.builder().createOp(DropoutOp.NAME, List.of(node.input(0), ratio, node.input(2)), Map.of());
        return op.numResults() > 1 && node.numOutputs() > 1 ? List.of(op.result(0), op.result(1)) : List.of(op.result(0));
    }

    private static boolean ratioIsZero(OnnxNode node, ConversionContext ctx) {
        if (!node.hasInput(1)) {
            return false; // the default ratio is 0.5
        }
        DenseElementsAttr ratio = ctx.constantValue(node.input(1));
        return ratio != null && ratio.getDouble(0) == 0;
    }
}
