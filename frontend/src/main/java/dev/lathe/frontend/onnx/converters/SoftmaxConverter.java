package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code Softmax}, {@code LogSoftmax} and {@code Hardmax} onto {@code nn.softmax},
 * {@code nn.log_softmax} and {@code nn.hardmax}. From opset 13 they normalize along one axis
 * (default -1): {@code axes = [axis]}. Before 13 the input is coerced to 2-D at {@code axis}
 * (default 1), i.e. normalized jointly over {@code axis} and every later dim:
 * {@code axes = [axis, ..., rank-1]}.
 */
final class SoftmaxConverter implements OnnxOpConverter {

    private final String nnOp;

    SoftmaxConverter(String nnOp) {
        this.nnOp = nnOp;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        TensorType x = node.inputType(0);
        int rank = x.rank();
        boolean oneAxis = node.opset() >= 13;
        long axis = node.intOr("axis", oneAxis ? -1 : 1);
        if (axis < -rank || axis >= rank) {
            throw node.error("axis " + axis + " is out of range for input " + x.text() + " (expected " + -rank + ".."
                    + (rank - 1) + ")");
        }
        int first = (int) (axis < 0 ? axis + rank : axis);
        long[] axes = new long[oneAxis ? 1 : rank - first];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = first + i;
        }
        return List.of(ctx.builder().create(nnOp, List.of(node.input(0)), Map.of("axes", ArrayAttr.ofLongs(axes))));
    }
}
