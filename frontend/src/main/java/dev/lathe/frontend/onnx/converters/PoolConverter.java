package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code MaxPool}, {@code AveragePool}, {@code LpPool} and their {@code Global} forms, as
 * the nn pool ops of the same names. Attributes missing in older opsets ({@code ceil_mode} before
 * 10, {@code dilations} before 10/11, {@code storage_order} before 8) take their defaults;
 * {@code count_include_pad}, {@code ceil_mode} become booleans; LpPool's {@code p} (a float
 * before opset 2, an integer since) is passed as an integer. MaxPool's {@code Indices} output
 * is the second result of {@code nn.max_pool}.
 */
final class PoolConverter implements OnnxOpConverter {

    private final String nnOp;
    private final boolean global;

    PoolConverter(String nnOp, boolean global) {
        this.nnOp = nnOp;
        this.global = global;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = global ? new java.util.TreeMap<>()
                : WindowAttrs.of(node, "kernel_shape", "strides", "dilations", "pads");
        if (!global && !attrs.containsKey("kernel_shape")) {
            throw node.error("requires attribute 'kernel_shape'");
        }
        if (node.intOr("ceil_mode", 0) != 0) {
            attrs.put("ceil_mode", BoolAttr.TRUE);
        }
        if (node.intOr("count_include_pad", 0) != 0) {
            attrs.put("count_include_pad", BoolAttr.TRUE);
        }
        if (node.intOr("storage_order", 0) != 0) {
            attrs.put("storage_order", IntegerAttr.of(node.intOr("storage_order", 0)));
        }
        if (node.has("p")) {
            long p = node.opset() < 2 ? (long) node.floatOr("p", 2) : node.intOr("p", 2);
            attrs.put("p", IntegerAttr.of(p));
        }
        Operation op = ctx.builder().createOp(nnOp, List.of(node.input(0)), attrs);
        return op.results().stream().map(r -> (Value) r).limit(Math.max(1, node.numOutputs())).toList();
    }
}
