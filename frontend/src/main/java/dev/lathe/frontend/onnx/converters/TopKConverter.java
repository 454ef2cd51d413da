package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.TopKOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code TopK} onto {@code nn.top_k}. Before opset 10 {@code k} is an attribute; from 10 on a
 * one-element INT64 input: a constant one becomes the {@code k} attribute, one known only at run
 * time the second operand (the dynamic form). {@code largest} and {@code sorted} (opset 11 on,
 * default 1) are written out.
 */
final class TopKConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("axis", IntegerAttr.of(node.intOr("axis", -1)));
        attrs.put("largest", BoolAttr.of(node.opset() < 11 || node.intOr("largest", 1) != 0));
        attrs.put("sorted", BoolAttr.of(node.opset() < 11 || node.intOr("sorted", 1) != 0));
        List<Value> operands = List.of(node.input(0));
        if (node.opset() < 10) {
            if (!node.has("k")) {
                throw node.error("requires attribute 'k' in opset " + node.opset());
            }
            attrs.put("k", IntegerAttr.of(node.intOr("k", 0)));
        } else {
            TensorType kt = node.inputType(1);
            if (kt.elementType() != ScalarType.I64 || kt.rank() > 1) {
                throw node.error("K must be a 1-D tensor of one INT64, found " + kt.text());
            }
            long[] k = ctx.constantLongs(node.input(1));
            if (k != null && k.length != 1) {
                throw node.error("K must hold one value, found " + k.length);
            }
            if (k != null) {
                attrs.put("k", IntegerAttr.of(k[0]));
            } else {
                operands = List.of(node.input(0), node.input(1));
            }
        }
        Operation op = ctx.builder().createOp(TopKOp.NAME, operands, attrs);
        return List.of(op.result(0), op.result(1));
    }
}
