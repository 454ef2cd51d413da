package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.frontend.onnx.OnnxTypes;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.DequantizeLinearOp;
import dev.lathe.ir.dialect.nn.DynamicQuantizeLinearOp;
import dev.lathe.ir.dialect.nn.QuantizeLinearOp;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code QuantizeLinear}, {@code DequantizeLinear} (opsets 10-21) and
 * {@code DynamicQuantizeLinear} (11): the nn ops of the same names, with an absent zero point
 * made an explicit zero (u8 for QuantizeLinear, or the type {@code output_dtype} names from opset
 * 21; the input's type for DequantizeLinear). {@code axis} (opset 13 on) is passed when given;
 * blocked quantization ({@code block_size > 0}, opset 21) is not converted.
 */
final class QuantizeConverter implements OnnxOpConverter {

    private final String nnOp;

    QuantizeConverter(String nnOp) {
        this.nnOp = nnOp;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        if (nnOp.equals(DynamicQuantizeLinearOp.NAME)) {
            Operation op = ctx.builder().createOp(nnOp, List.of(node.input(0)), Map.of());
            return op.results().stream().map(r -> (Value) r).toList();
        }
        if (node.intOr("block_size", 0) != 0) {
            throw node.unsupported("blocked quantization (block_size = " + node.intOr("block_size", 0) + ")");
        }
        Map<String, Attribute> attrs = new TreeMap<>();
        if (node.has("axis")) {
            attrs.put("axis", IntegerAttr.of(node.intOr("axis", 1)));
        }
        Value zero = node.inputOrNull(2);
        if (zero == null) {
            ScalarType type = nnOp.equals(QuantizeLinearOp.NAME)
                    ? (node.intOr("output_dtype", 0) != 0 ? OnnxTypes.elementType((int) node.intOr("output_dtype", 0))
                            : ScalarType.U8)
                    : node.inputType(0).elementType();
            zero = ctx.scalar(type, 0);
        }
        return List.of(ctx.builder().create(nnOp, List.of(node.input(0), node.input(1), zero), attrs));
    }

    static void registerAll(dev.lathe.frontend.onnx.OnnxOpRegistry r) {
        r.register("QuantizeLinear", new QuantizeConverter(QuantizeLinearOp.NAME));
        r.register("DequantizeLinear", new QuantizeConverter(DequantizeLinearOp.NAME));
        r.register("DynamicQuantizeLinear", new QuantizeConverter(DynamicQuantizeLinearOp.NAME));
    }
}
