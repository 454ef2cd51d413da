package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.dialect.nn.SqueezeOp;
import dev.lathe.ir.dialect.nn.UnsqueezeOp;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * ONNX {@code Squeeze} and {@code Unsqueeze}: {@code axes} is an attribute before opset 13 and an
 * input from 13 on. Known axes become {@code nn.squeeze / nn.unsqueeze {axes = [...]}}; axes known
 * only at run time the dynamic form with an axes operand. Squeeze without axes removes every
 * size-1 dim, which the importer resolves from the input type (every dim must then be static).
 */
final class SqueezeConverter implements OnnxOpConverter {

    private final boolean unsqueeze;

    SqueezeConverter(boolean unsqueeze) {
        this.unsqueeze = unsqueeze;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        String op = unsqueeze ? UnsqueezeOp.NAME : SqueezeOp.NAME;
        Value x = node.input(0);
        TensorType xt = node.inputType(0);
        long[] axes;
        if (node.opset() < 13) {
            axes = node.ints("axes");
        } else if (node.hasInput(1)) {
            TensorType t = node.inputType(1);
            // The spec asks for 1-D axes; exporters (and ONNX's own Loop tests) also pass a scalar
            // constant, which ONNX Runtime reads as one axis.
            boolean scalarConstant = t.rank() == 0 && ctx.probeConstantValue(node.input(1)) != null;
            if ((t.rank() != 1 && !scalarConstant) || !t.elementType().isInteger()) {
                throw node.error("axes must be a 1-D tensor of integers, found " + t.text());
            }
            axes = ctx.constantLongs(node.input(1));
            if (axes == null) {
                return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(op, List.of(x, node.input(1)), Map.of())));
            }
        } else {
            axes = null;
        }
        if (axes == null && unsqueeze) {
            throw node.error("requires axes");
        }
        if (axes == null) {
            if (!xt.hasStaticShape()) {
                throw node.unsupported("Squeeze without axes on an input with dims unknown until run time");
            }
            axes = IntStream.range(0, xt.rank()).filter(d -> xt.dim(d) == 1).asLongStream().toArray();
        }
        return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(op, List.of(x), Map.of("axes", ArrayAttr.ofLongs(axes)))));
    }
}
