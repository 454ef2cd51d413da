package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.nn.ConvOp;
import dev.lathe.ir.dialect.nn.ConvTransposeOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code Conv} and {@code ConvTranspose} (opsets 1-21; the attributes did not change):
 * {@code nn.conv} / {@code nn.conv_transpose} with the window attributes of {@link WindowAttrs},
 * plus {@code output_padding} and {@code output_shape} for the transposed form, and the bias
 * operand when given.
 */
final class ConvConverter implements OnnxOpConverter {

    private final boolean transposed;

    ConvConverter(boolean transposed) {
        this.transposed = transposed;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = WindowAttrs.withWeights(node, WindowAttrs.of(node, "strides", "dilations", "pads"),
                node.inputType(1));
        if (transposed) {
            for (String name : List.of("output_padding", "output_shape")) {
                long[] v = node.ints(name);
                if (v != null && v.length > 0) {
                    long[] spatial = v.length == node.inputType(0).rank() ? java.util.Arrays.copyOfRange(v, 2, v.length) : v;
                    attrs.put(name, ArrayAttr.ofLongs(spatial));
                }
            }
        }
        List<Value> operands = new ArrayList<>(List.of(node.input(0), node.input(1)));
        if (node.hasInput(2)) {
            operands.add(node.input(2));
        }
        return List.of(ctx.builder().create(transposed ? ConvTransposeOp.NAME : ConvOp.NAME, operands, attrs));
    }
}
