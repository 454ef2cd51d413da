package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.dialect.nn.ReshapeOp;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code Flatten} as {@code nn.reshape} to {@code [d0 * ... * d(axis-1), d(axis) * ... ]}
 * ({@code axis} default 1, negatives from opset 11; {@code axis = 0} gives {@code [1, n]}). One
 * side with dims unknown until run time becomes the reshape's {@code -1}; both is unsupported.
 */
final class FlattenConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        TensorType x = node.inputType(0);
        long axis = node.intOr("axis", 1);
        if (axis < -x.rank() || axis > x.rank()) {
            throw node.error("axis " + axis + " is out of range for " + x.text() + "; expected " + -x.rank() + ".."
                    + x.rank());
        }
        int split = (int) (axis < 0 ? axis + x.rank() : axis);
        long[] shape = {product(x, 0, split), product(x, split, x.rank())};
        if (shape[0] == TensorType.DYNAMIC && shape[1] == TensorType.DYNAMIC) {
            throw node.unsupported("dims unknown until run time on both sides of axis " + axis);
        }
        return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(ReshapeOp.NAME, List.of(node.input(0)),
                Map.of("shape", ArrayAttr.ofLongs(shape)))));
    }

    private static long product(TensorType x, int from, int to) {
        long p = 1;
        for (int d = from; d < to; d++) {
            if (x.isDynamic(d)) {
                return TensorType.DYNAMIC;
            }
            p *= x.dim(d);
        }
        return p;
    }
}
