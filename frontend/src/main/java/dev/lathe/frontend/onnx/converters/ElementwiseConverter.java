package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.type.ScalarType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An ONNX elementwise op that is one {@code nn} op on the node's inputs (every present input, in
 * order: one for {@code Abs}, two for {@code Less}, any number for {@code Max}), with attributes
 * computed from the node's. Float attributes are copied as f32 only when the node has them, so
 * the nn op's defaults (ONNX's) apply otherwise. Opset 1's {@code consumed_inputs} is ignored.
 *
 * <p>Broadcasting: the nn ops broadcast as numpy, ONNX's rule from opset 7 (8 for
 * {@code Max}/{@code Min}/{@code Sum}/{@code Mean}). Older opsets either forbid broadcasting
 * or broadcast {@code B} aligned at the trailing dims, which numpy also does; an explicit
 * {@code axis} is the one legacy form rejected.
 */
final class ElementwiseConverter implements OnnxOpConverter {

    private final String nnOp;
    private final Function<OnnxNode, Map<String, Attribute>> attributes;

    ElementwiseConverter(String nnOp, Function<OnnxNode, Map<String, Attribute>> attributes) {
        this.nnOp = nnOp;
        this.attributes = attributes;
    }

    /** A converter copying the named float attributes (when present) as f32. */
    static ElementwiseConverter withFloats(String nnOp, String... floatAttributes) {
        return new ElementwiseConverter(nnOp, node -> floats(node, floatAttributes));
    }

    /** A converter copying the named integer attributes (when present) as booleans. */
    static ElementwiseConverter withBools(String nnOp, String... intAttributes) {
        return new ElementwiseConverter(nnOp, node -> {
            Map<String, Attribute> out = new TreeMap<>();
            for (String name : intAttributes) {
                if (node.has(name)) {
                    out.put(name, BoolAttr.of(node.intOr(name, 0) != 0));
                }
            }
            return out;
        });
    }

    static Map<String, Attribute> floats(OnnxNode node, String... names) {
        Map<String, Attribute> out = new TreeMap<>();
        for (String name : names) {
            if (node.has(name)) {
                out.put(name, new FloatAttr(node.floatOr(name, 0), ScalarType.F32));
            }
        }
        return out;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        if (node.opset() < 7 && node.intOr("broadcast", 0) != 0 && node.has("axis")) {
            throw node.unsupported("opset " + node.opset() + " broadcasting at an explicit axis");
        }
        List<Value> operands = new ArrayList<>();
        for (Value v : node.inputs()) {
            if (v != null) {
                operands.add(v);
            }
        }
        return List.of(ctx.builder().create(nnOp, operands, attributes.apply(node)));
    }
}
