package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.frontend.onnx.OnnxTypes;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.nn.LayerNormalizationOp;
import dev.lathe.ir.type.ScalarType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code LayerNormalization} (opset 17) onto {@code nn.layer_normalization}: {@code axis}
 * (default -1), {@code epsilon} (default 1e-5) and {@code stash_type} (default 1, FLOAT) become
 * attributes; the optional outputs {@code Mean} and {@code InvStdDev} are the op's second and
 * third results.
 */
final class LayerNormalizationConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        long stash = node.intOr("stash_type", 1);
        ScalarType stashType = OnnxTypes.elementType((int) stash);
        if (stashType == null || !stashType.isFloat()) {
            throw node.error("stash_type must be a float data type, found " + OnnxTypes.dataTypeName((int) stash));
        }
        Map<String, Attribute> attrs = Map.of(
                "axis", IntegerAttr.of(node.intOr("axis", -1)),
                "epsilon", new FloatAttr(node.floatOr("epsilon", 1e-5f), ScalarType.F32),
                "stash_type", new TypeAttr(stashType));
        List<Value> operands = new ArrayList<>(List.of(node.input(0), node.input(1)));
        if (node.hasInput(2)) {
            operands.add(node.input(2));
        }
        Operation op = ctx.builder().createOp(LayerNormalizationOp.NAME, operands, attrs);
        return op.results().subList(0, Math.min(3, Math.max(1, node.numOutputs()))).stream()
                .map(r -> (Value) r).toList();
    }
}
