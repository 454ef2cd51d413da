package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.UniqueOp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** ONNX {@code Unique} (opset 11) onto {@code nn.unique {sorted[, axis]}}, the four outputs in order. */
final class UniqueConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("sorted", BoolAttr.of(node.intOr("sorted", 1) != 0));
        if (node.has("axis")) {
            attrs.put("axis", IntegerAttr.of(node.intOr("axis", 0)));
        }
        Operation op = ctx.builder().createOp(UniqueOp.NAME, List.of(node.input(0)), attrs);
        return op.results().stream().map(r -> (Value) r).toList();
    }
}
