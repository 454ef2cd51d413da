package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.nn.ReshapeOp;
import dev.lathe.ir.type.TensorType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code Add}, {@code Sub}, {@code Mul}, {@code Div}: the {@code nn} op of the same name,
 * which broadcasts as numpy does (ONNX's rule from opset 7 on).
 *
 * <p>Opsets 1 to 6 broadcast only {@code B}, only with {@code broadcast = 1}, aligned at
 * {@code axis} (default: the trailing dims). Where that means the same as numpy (the usual
 * case) nothing changes; {@code B} aligned at an inner axis gets trailing size-1 dims by an
 * {@code nn.reshape} first. Only forms numpy cannot express, or that the old opset forbids,
 * are rejected.
 */
final class ElementwiseBinaryConverter implements OnnxOpConverter {

    private final String nnOp;

    ElementwiseBinaryConverter(String nnOp) {
        this.nnOp = nnOp;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value a = node.input(0);
        Value b = node.input(1);
        if (node.opset() >= 7) {
            return List.of(ctx.builder().create(nnOp, a, b));
        }
        Value result = ctx.builder().create(nnOp, a, legacyBroadcast(node, ctx, b));
        TensorType ta = node.inputType(0);
        if (!((TensorType) result.type()).isCompatibleWith(ta)) {
            throw node.error("B " + node.inputType(1).text() + " does not broadcast to A " + ta.text() + " alone, which"
                    + " opset " + node.opset() + " requires (the result would be " + result.type().text() + ")");
        }
        return List.of(result);
    }

    /** {@code B} reshaped (if need be) so that numpy broadcasting means what opsets 1-6 meant. */
    private static Value legacyBroadcast(OnnxNode node, ConversionContext ctx, Value b) {
        TensorType ta = node.inputType(0);
        TensorType tb = node.inputType(1);
        if (node.intOr("broadcast", 0) == 0) {
            if (ta.hasStaticShape() && tb.hasStaticShape() && !ta.shape().equals(tb.shape())) {
                throw node.error("operands " + ta.text() + " and " + tb.text() + " differ in shape, which opset "
                        + node.opset() + " allows only with broadcast = 1");
            }
            return b;
        }
        if (tb.rank() > ta.rank()) {
            throw node.error("B " + tb.text() + " has a higher rank than A " + ta.text()
                    + "; opset " + node.opset() + " broadcasts only B to A");
        }
        if (!node.has("axis")) {
            return b; // B aligned with A's trailing dims: numpy's rule
        }
        long axis = node.intOr("axis", 0);
        axis = axis < 0 ? axis + ta.rank() : axis;
        if (axis < 0 || axis + tb.rank() > ta.rank()) {
            throw node.error("axis " + node.intOr("axis", 0) + " does not fit B " + tb.text() + " into A " + ta.text());
        }
        int trailing = (int) (ta.rank() - axis - tb.rank());
        if (trailing == 0) {
            return b;
        }
        if (!tb.hasStaticShape()) {
            throw node.unsupported("B with dynamic dims broadcast at inner axis " + axis
                    + " would need a reshape to a shape known only at run time");
        }
        long[] shape = Arrays.copyOf(tb.shapeArray(), tb.rank() + trailing);
        Arrays.fill(shape, tb.rank(), shape.length, 1);
        Map<String, Attribute> attrs = Map.of("shape", ArrayAttr.ofLongs(shape));
        return ctx.builder().create(ReshapeOp.NAME, List.of(b), attrs);
    }
}
