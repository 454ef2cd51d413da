package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.OneHotOp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code OneHot}: {@code nn.one_hot(%indices, %values) {axis, depth}} when {@code depth} is
 * known at import time (a float depth is truncated toward zero), else the dynamic form
 * {@code nn.one_hot(%indices, %values, %depth) {axis}}.
 */
final class OneHotConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("axis", IntegerAttr.of(node.intOr("axis", -1)));
        DenseElementsAttr depth = ctx.constantValue(node.input(1));
        if (depth == null) {
            return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(OneHotOp.NAME, List.of(node.input(0), node.input(2), node.input(1)), attrs)));
        }
        if (depth.numElements() != 1) {
            throw node.error("depth must hold one value, found " + depth.type().text());
        }
        attrs.put("depth", IntegerAttr.of((long) depth.getDouble(0)));
        return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(OneHotOp.NAME, List.of(node.input(0), node.input(2)), attrs)));
    }
}
