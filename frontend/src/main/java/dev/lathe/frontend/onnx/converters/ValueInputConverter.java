package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An ONNX op whose second input is a value-dependent integer parameter of one nn op: Expand's
 * {@code shape}, Tile's {@code repeats}, Trilu's {@code k}, CumSum's {@code axis}. Known at import
 * time, it becomes the nn attribute {@code attribute} (an integer for a scalar parameter, an
 * array otherwise); unknown, the nn op's dynamic form takes it as a second operand. An absent
 * optional input (Trilu's {@code k}) gives neither, and the nn default applies.
 */
final class ValueInputConverter implements OnnxOpConverter {

    private final String nnOp;
    private final String attribute;
    private final boolean scalar;
    private final Function<OnnxNode, Map<String, Attribute>> otherAttributes;

    ValueInputConverter(String nnOp, String attribute, boolean scalar,
            Function<OnnxNode, Map<String, Attribute>> otherAttributes) {
        this.nnOp = nnOp;
        this.attribute = attribute;
        this.scalar = scalar;
        this.otherAttributes = otherAttributes;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        if (node.opType().equals("Tile") && node.opset() < 6) {
            throw node.unsupported("Tile before opset 6 (tiles and axis inputs)");
        }
        Value x = node.input(0);
        Map<String, Attribute> attrs = new TreeMap<>(otherAttributes.apply(node));
        if (!node.hasInput(1)) {
            return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(nnOp, List.of(x), attrs)));
        }
        TensorType t = node.inputType(1);
        if (!t.elementType().isInteger()) {
            throw node.error("input '" + attribute + "' must hold integers, found " + t.text());
        }
        long[] values = ctx.constantLongs(node.input(1));
        if (values == null) {
            return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(nnOp, List.of(x, node.input(1)), attrs)));
        }
        if (scalar && values.length != 1) {
            throw node.error("input '" + attribute + "' must hold one value, found " + t.text());
        }
        attrs.put(attribute, scalar ? IntegerAttr.of(values[0]) : ArrayAttr.ofLongs(values));
        return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(nnOp, List.of(x), attrs)));
    }
}
