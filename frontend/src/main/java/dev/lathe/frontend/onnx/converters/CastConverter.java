package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.frontend.onnx.OnnxTypes;
import dev.lathe.frontend.onnx.proto.AttributeProto;
import dev.lathe.frontend.onnx.proto.AttributeProto.AttributeType;
import dev.lathe.frontend.onnx.proto.TensorProto.DataType;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.nn.CastOp;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code Cast} and {@code CastLike} as {@code nn.cast {to = ...}}. {@code Cast}'s {@code to}
 * is a data type number from opset 6 on and a data type name ({@code "FLOAT"}) before;
 * {@code CastLike} takes the element type of its second input. A cast to the input's own type
 * is no op at all. Strings (and other types Lathe lacks) are rejected; opset 19's
 * {@code saturate} only concerns float8 types, which Lathe lacks, so it is ignored.
 */
final class CastConverter implements OnnxOpConverter {

    private final boolean like;

    CastConverter(boolean like) {
        this.like = like;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value x = node.input(0);
        ScalarType to;
        if (like) {
            to = node.inputType(1).elementType();
        } else {
            to = OnnxTypes.elementType(dataType(node));
            if (to == null) {
                throw node.unsupported("cast to " + OnnxTypes.dataTypeName(dataType(node))
                        + ", an element type Lathe does not have");
            }
        }
        if (node.inputType(0).elementType() == to) {
            return List.of(x);
        }
        Map<String, Attribute> attrs = Map.of("to", new TypeAttr(to));
        return List.of(ctx.builder().create(CastOp.NAME, List.of(x), attrs));
    }

    private static int dataType(OnnxNode node) {
        AttributeProto a = node.attribute("to");
        if (a == null) {
            throw node.error("requires attribute 'to'");
        }
        if (OnnxNode.kindOf(a) == AttributeType.STRING) {
            String name = node.string("to");
            try {
                return DataType.valueOf(name).getNumber();
            } catch (IllegalArgumentException e) {
                throw node.error("attribute 'to' names no ONNX data type: '" + name + "'");
            }
        }
        return (int) node.intOr("to", 0);
    }
}
