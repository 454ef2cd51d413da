package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.RoiAlignOp;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code RoiAlign} (opsets 10 and 16) as {@code nn.roi_align}. Opset 10 has no
 * {@code coordinate_transformation_mode}; it behaves as {@code output_half_pixel}, which is
 * made explicit (opset 16's default is {@code half_pixel}).
 */
final class RoiAlignConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("mode", new StringAttr(node.stringOr("mode", "avg")));
        attrs.put("output_height", IntegerAttr.of(node.intOr("output_height", 1)));
        attrs.put("output_width", IntegerAttr.of(node.intOr("output_width", 1)));
        attrs.put("sampling_ratio", IntegerAttr.of(node.intOr("sampling_ratio", 0)));
        attrs.put("spatial_scale", new FloatAttr(node.floatOr("spatial_scale", 1f), ScalarType.F32));
        attrs.put("coordinate_transformation_mode", new StringAttr(node.opset() < 16 ? "output_half_pixel"
                : node.stringOr("coordinate_transformation_mode", "half_pixel")));
        return List.of(ctx.builder().create(RoiAlignOp.NAME, List.of(node.input(0), node.input(1), node.input(2)), attrs));
    }
}
