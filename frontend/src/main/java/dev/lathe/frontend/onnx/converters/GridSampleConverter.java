package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.GridSampleOp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code GridSample} (opsets 16 and 20) as {@code nn.grid_sample}: opset 16's mode names
 * {@code bilinear}/{@code bicubic} become {@code linear}/{@code cubic} (opset 20's names).
 */
final class GridSampleConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new TreeMap<>();
        String mode = switch (node.stringOr("mode", "linear")) {
            case "bilinear" -> "linear";
            case "bicubic" -> "cubic";
            default -> node.stringOr("mode", "linear");
        };
        attrs.put("mode", new StringAttr(mode));
        attrs.put("padding_mode", new StringAttr(node.stringOr("padding_mode", "zeros")));
        attrs.put("align_corners", BoolAttr.of(node.intOr("align_corners", 0) != 0));
        return List.of(ctx.builder().create(GridSampleOp.NAME, List.of(node.input(0), node.input(1)), attrs));
    }
}
