package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.NonMaxSuppressionOp;
import dev.lathe.ir.type.ScalarType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code NonMaxSuppression} (opsets 10, 11) onto {@code nn.non_max_suppression}.
 * {@code center_point_box} becomes a bool attribute. When the optional inputs
 * {@code max_output_boxes_per_class}, {@code iou_threshold}, {@code score_threshold} are absent
 * or known at import time they become attributes (absent: 0, 0, no threshold); otherwise the
 * dynamic form takes them as operands, with constants for absent ones (an absent
 * {@code score_threshold} is left out).
 */
final class NonMaxSuppressionConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("center_point_box", BoolAttr.of(node.intOr("center_point_box", 0) != 0));
        DenseElementsAttr max = node.hasInput(2) ? ctx.constantValue(node.input(2)) : null;
        DenseElementsAttr iou = node.hasInput(3) ? ctx.constantValue(node.input(3)) : null;
        DenseElementsAttr score = node.hasInput(4) ? ctx.constantValue(node.input(4)) : null;
        boolean allKnown = (!node.hasInput(2) || max != null) && (!node.hasInput(3) || iou != null)
                && (!node.hasInput(4) || score != null);
        List<Value> operands = new ArrayList<>(List.of(node.input(0), node.input(1)));
        if (allKnown) {
            attrs.put("max_output_boxes_per_class", IntegerAttr.of(max == null ? 0 : one(node, max).getLong(0)));
            attrs.put("iou_threshold", new FloatAttr(iou == null ? 0 : one(node, iou).getDouble(0), ScalarType.F32));
            if (score != null) {
                attrs.put("score_threshold", new FloatAttr(one(node, score).getDouble(0), ScalarType.F32));
            }
        } else {
            operands.add(node.hasInput(2) ? node.input(2) : ctx.longs(0));
            operands.add(node.hasInput(3) ? node.input(3) : ctx.scalar(ScalarType.F32, 0));
            if (node.hasInput(4)) {
                operands.add(node.input(4));
            }
        }
        return List.of(ctx.builder().create(NonMaxSuppressionOp.NAME, operands, attrs));
    }

    private static DenseElementsAttr one(OnnxNode node, DenseElementsAttr v) {
        if (v.numElements() != 1) {
            throw node.error("expects one value in each of max_output_boxes_per_class, iou_threshold and"
                    + " score_threshold, found " + v.type().text());
        }
        return v;
    }
}
