package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.frontend.onnx.OnnxTypes;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.nn.WindowOp;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code HannWindow}, {@code HammingWindow}, {@code BlackmanWindow} (opset 17) onto
 * {@code nn.hann_window}, ... : {@code periodic} (default 1) and {@code output_datatype} (default
 * FLOAT) become attributes; a size known at import time becomes the {@code size} attribute,
 * else the size is the operand (the dynamic form, result {@code tensor<?xT>}).
 */
final class WindowConverter implements OnnxOpConverter {

    private final WindowOp.Kind kind;

    WindowConverter(WindowOp.Kind kind) {
        this.kind = kind;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        int dataType = (int) node.intOr("output_datatype", 1);
        ScalarType et = OnnxTypes.elementType(dataType);
        if (et == null || et == ScalarType.I1) {
            throw node.unsupported("output_datatype " + OnnxTypes.dataTypeName(dataType) + " is not a number type Lathe has");
        }
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("periodic", BoolAttr.of(node.intOr("periodic", 1) != 0));
        attrs.put("element_type", new TypeAttr(et));
        long[] size = ctx.constantLongs(node.input(0));
        if (size != null && size.length != 1) {
            throw node.error("size must be one integer, found " + size.length + " values");
        }
        if (size != null) {
            attrs.put("size", IntegerAttr.of(size[0]));
            return List.of(ctx.builder().create(kind.opName, List.of(), attrs));
        }
        return List.of(ctx.builder().create(kind.opName, List.of(node.input(0)), attrs));
    }
}
