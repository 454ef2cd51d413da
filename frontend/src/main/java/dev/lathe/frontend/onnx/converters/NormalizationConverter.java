package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.InstanceNormalizationOp;
import dev.lathe.ir.dialect.nn.LpNormalizationOp;
import dev.lathe.ir.dialect.nn.LrnOp;
import dev.lathe.ir.dialect.nn.MeanVarianceNormalizationOp;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;

/**
 * The normalizations whose ONNX form is the same in every opset from 7 on (only element types
 * were added), each onto its nn op with every attribute and default written out:
 * {@code InstanceNormalization} (epsilon 1e-5), {@code LpNormalization} (axis -1, p 2),
 * {@code MeanVarianceNormalization} (axes [0, 2, 3]) and {@code LRN} (size required, alpha 1e-4,
 * beta 0.75, bias 1).
 */
final class NormalizationConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value x = node.input(0);
        return List.of(switch (node.opType()) {
            case "InstanceNormalization" -> ctx.builder().create(InstanceNormalizationOp.NAME,
                    List.of(x, node.input(1), node.input(2)), Map.of("epsilon", f32(node, "epsilon", 1e-5f)));
            case "LpNormalization" -> ctx.builder().create(LpNormalizationOp.NAME, List.of(x),
                    Map.of("axis", IntegerAttr.of(node.intOr("axis", -1)), "p", IntegerAttr.of(node.intOr("p", 2))));
            case "MeanVarianceNormalization" -> ctx.builder().create(MeanVarianceNormalizationOp.NAME, List.of(x),
                    Map.of("axes", ArrayAttr.ofLongs(node.intsOr("axes", new long[] {0, 2, 3}))));
            case "LRN" -> {
                if (!node.has("size")) {
                    throw node.error("requires attribute 'size'");
                }
                Map<String, Attribute> attrs = Map.of("size", IntegerAttr.of(node.intOr("size", 0)),
                        "alpha", f32(node, "alpha", 1e-4f), "beta", f32(node, "beta", 0.75f),
                        "bias", f32(node, "bias", 1f));
                yield ctx.builder().create(LrnOp.NAME, List.of(x), attrs);
            }
            default -> throw new IllegalStateException("not a normalization: " + node.opType());
        });
    }

    private static FloatAttr f32(OnnxNode node, String name, float defaultValue) {
        return new FloatAttr(node.floatOr(name, defaultValue), ScalarType.F32);
    }
}
