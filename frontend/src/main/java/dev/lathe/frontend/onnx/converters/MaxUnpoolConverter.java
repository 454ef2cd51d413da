package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.nn.MaxUnpoolOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code MaxUnpool} (opsets 9 and 11) as {@code nn.max_unpool}; a constant
 * {@code output_shape} input becomes the attribute, a computed one the third operand.
 */
final class MaxUnpoolConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = WindowAttrs.of(node, "kernel_shape", "strides", "pads");
        if (!attrs.containsKey("kernel_shape")) {
            throw node.error("requires attribute 'kernel_shape'");
        }
        List<Value> operands = new ArrayList<>(List.of(node.input(0), node.input(1)));
        if (node.hasInput(2)) {
            long[] shape = ctx.constantLongs(node.input(2));
            if (shape != null) {
                attrs.put("output_shape", ArrayAttr.ofLongs(shape));
            } else {
                operands.add(node.input(2));
            }
        }
        return List.of(ctx.builder().create(MaxUnpoolOp.NAME, operands, attrs));
    }
}
