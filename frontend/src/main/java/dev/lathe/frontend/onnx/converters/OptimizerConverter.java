package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.OptimizerOp;
import dev.lathe.ir.type.ScalarType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code Adagrad}, {@code Adam} and {@code Momentum} of the {@code ai.onnx.preview.training}
 * domain (version 1) onto {@code nn.adagrad}, {@code nn.adam}, {@code nn.momentum}: inputs and
 * outputs in ONNX's order, float attributes written out with ONNX's defaults, Momentum's
 * {@code mode} as a string.
 */
final class OptimizerConverter implements OnnxOpConverter {

    private final OptimizerOp.Kind kind;

    OptimizerConverter(OptimizerOp.Kind kind) {
        this.kind = kind;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new TreeMap<>();
        switch (kind) {
            case ADAGRAD -> {
                put(attrs, node, "decay_factor", 0);
                put(attrs, node, "epsilon", 0);
                put(attrs, node, "norm_coefficient", 0);
            }
            case ADAM -> {
                put(attrs, node, "alpha", 0.9f);
                put(attrs, node, "beta", 0.999f);
                put(attrs, node, "epsilon", 1e-6f);
                put(attrs, node, "norm_coefficient", 0);
                put(attrs, node, "norm_coefficient_post", 0);
            }
            case MOMENTUM -> {
                for (String required : List.of("alpha", "beta", "norm_coefficient", "mode")) {
                    if (!node.has(required)) {
                        throw node.error("requires attribute '" + required + "'");
                    }
                }
                put(attrs, node, "alpha", 0);
                put(attrs, node, "beta", 0);
                put(attrs, node, "norm_coefficient", 0);
                attrs.put("mode", new StringAttr(node.string("mode")));
            }
        }
        List<Value> operands = new ArrayList<>();
        for (int i = 0; i < node.numInputs(); i++) {
            operands.add(node.input(i));
        }
        Operation op = ctx.builder().createOp(kind.opName, operands, attrs);
        return op.results().stream().map(r -> (Value) r).toList();
    }

    private static void put(Map<String, Attribute> attrs, OnnxNode node, String name, float defaultValue) {
        attrs.put(name, new FloatAttr(node.floatOr(name, defaultValue), ScalarType.F32));
    }
}
