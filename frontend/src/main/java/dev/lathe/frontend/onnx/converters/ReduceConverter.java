package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code ReduceMean}, {@code ReduceMax}, {@code ReduceMin}, {@code ReduceProd},
 * {@code ReduceL1}, {@code ReduceL2}, {@code ReduceLogSum}, {@code ReduceLogSumExp} and
 * {@code ReduceSumSquare} onto the {@code nn.reduce_*} op of the same name. Before opset 18
 * {@code axes} is an attribute (absent or empty: every dim); from 18 on an optional input, where
 * absent or empty means every dim, or none with {@code noop_with_empty_axes = 1} (then the nn op
 * gets {@code axes = []}: a reduction of one-element groups). Constant axes become the
 * {@code axes} attribute; axes known only at run time use the dynamic form {@code (x, axes)}.
 */
final class ReduceConverter implements OnnxOpConverter {

    /** The opset from which {@code axes} is an input (ReduceSum's is 13, handled elsewhere). */
    private static final int AXES_INPUT_OPSET = 18;

    private final String nnOp;

    ReduceConverter(String nnOp) {
        this.nnOp = nnOp;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value x = node.input(0);
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("keepdims", BoolAttr.of(node.intOr("keepdims", 1) != 0));
        long[] axes = null;
        if (node.opset() < AXES_INPUT_OPSET) {
            axes = node.ints("axes");
        } else if (node.hasInput(1)) {
            TensorType at = node.inputType(1);
            if (at.rank() != 1 || at.elementType() != ScalarType.I64) {
                throw node.error("axes input must be a 1-D tensor of INT64, found " + at.text());
            }
            axes = at.dim(0) == 0 ? new long[0] : ctx.constantLongs(node.input(1));
            if (axes == null) {
                attrs.put("noop_with_empty_axes", BoolAttr.of(node.intOr("noop_with_empty_axes", 0) != 0));
                return List.of(ctx.builder().create(nnOp, List.of(x, node.input(1)), attrs));
            }
        }
        boolean noop = node.opset() >= AXES_INPUT_OPSET && node.intOr("noop_with_empty_axes", 0) != 0;
        if (axes != null && axes.length > 0) {
            attrs.put("axes", ArrayAttr.ofLongs(axes));
        } else if (noop) {
            attrs.put("axes", ArrayAttr.ofLongs());
        }
        return List.of(ctx.builder().create(nnOp, List.of(x), attrs));
    }
}
