package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.nn.ReduceSumOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code ReduceSum}: {@code nn.reduce_sum} with {@code axes} as an attribute whatever the
 * opset. Opsets before 13 give {@code axes} as an attribute (absent or empty: all dims); from
 * 13 on as an optional input that must be constant at import time, where absent or empty means
 * all dims, or no reduction at all with {@code noop_with_empty_axes = 1} (then the input is
 * returned as it is).
 */
final class ReduceSumConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value x = node.input(0);
        long[] axes;
        if (node.opset() < 13) {
            axes = node.ints("axes");
        } else {
            axes = null;
            if (node.hasInput(1)) {
                TensorType at = node.inputType(1);
                if (at.rank() != 1 || at.elementType() != ScalarType.I64) {
                    throw node.error("axes input must be a 1-D tensor of INT64, found " + at.text());
                }
                // An empty axes tensor is known from its type alone.
                axes = at.dim(0) == 0 ? new long[0] : ctx.constantLongs(node.input(1));
                if (axes == null) {
                    return List.of(dynamic(node, ctx));
                }
            }
            boolean noop = node.intOr("noop_with_empty_axes", 0) != 0;
            if (noop && (axes == null || axes.length == 0)) {
                return List.of(x);
            }
        }
        Map<String, Attribute> attrs = new TreeMap<>();
        if (axes != null && axes.length > 0) {
            attrs.put("axes", ArrayAttr.ofLongs(axes));
        }
        attrs.put("keepdims", BoolAttr.of(node.intOr("keepdims", 1) != 0));
        return List.of(ctx.builder().create(ReduceSumOp.NAME, List.of(x), attrs));
    }

    /**
     * Axes known only at run time: {@code nn.reduce_sum(%x, %axes) {keepdims}}, once the nn
     * dialect has that form. The axes tensor is not empty here (that case is decided above).
     */
    private static Value dynamic(OnnxNode node, ConversionContext ctx) {
        OpSchema schema = DialectRegistry.global().lookup(ReduceSumOp.NAME).orElseThrow().schema();
        if (schema.maxOperands() != OpSchema.VARIADIC && schema.maxOperands() < 2) {
            throw node.unsupported("the axes are computed at run time, and nn.reduce_sum has no form with an axes"
                    + " operand yet");
        }
        Map<String, Attribute> attrs = Map.of("keepdims", BoolAttr.of(node.intOr("keepdims", 1) != 0),
                "noop_with_empty_axes", BoolAttr.of(node.intOr("noop_with_empty_axes", 0) != 0));
        return ctx.builder().create(ReduceSumOp.NAME, List.of(node.input(0), node.input(1)), attrs);
    }
}
