package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code ArgMax} and {@code ArgMin} onto {@code nn.arg_max} / {@code nn.arg_min}, with every
 * attribute written out: {@code axis} (default 0; negative values from opset 11 on),
 * {@code keepdims} (default 1) and {@code select_last_index} (opset 12 on, default 0).
 */
final class ArgReduceConverter implements OnnxOpConverter {

    private final String nnOp;

    ArgReduceConverter(String nnOp) {
        this.nnOp = nnOp;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        long axis = node.intOr("axis", 0);
        if (axis < 0 && node.opset() < 11) {
            throw node.error("axis " + axis + " is negative, which opset " + node.opset() + " does not allow");
        }
        Map<String, Attribute> attrs = Map.of(
                "axis", IntegerAttr.of(axis),
                "keepdims", BoolAttr.of(node.intOr("keepdims", 1) != 0),
                "select_last_index", BoolAttr.of(node.intOr("select_last_index", 0) != 0));
        return List.of(ctx.builder().create(nnOp, List.of(node.input(0)), attrs));
    }
}
