package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.VariadicElementwiseOp;
import dev.lathe.ir.type.TensorType;
import java.util.List;

/**
 * ONNX {@code Clip} as {@code nn.min(nn.max(x, min), max)}, leaving out a bound that is absent.
 * Opsets before 11 give the bounds as float attributes (absent: unbounded), which become
 * rank-0 constants of the input's element type; from 11 on they are optional rank-0 inputs,
 * used as they are (constant or computed). This order gives ONNX's rule for {@code min > max}
 * (every element becomes {@code max}); NaN elements stay NaN (max/min propagate NaN).
 */
final class ClipConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value x = node.input(0);
        TensorType xt = node.inputType(0);
        Value lo;
        Value hi;
        if (node.opset() < 11) {
            lo = node.has("min") ? ctx.scalar(xt.elementType(), node.floatOr("min", 0)) : null;
            hi = node.has("max") ? ctx.scalar(xt.elementType(), node.floatOr("max", 0)) : null;
        } else {
            lo = bound(node, 1, "min");
            hi = bound(node, 2, "max");
        }
        Value y = x;
        if (lo != null) {
            y = ctx.builder().create(VariadicElementwiseOp.MAX, y, lo);
        }
        if (hi != null) {
            y = ctx.builder().create(VariadicElementwiseOp.MIN, y, hi);
        }
        return List.of(y);
    }

    private static Value bound(OnnxNode node, int i, String name) {
        if (!node.hasInput(i)) {
            return null;
        }
        TensorType t = node.inputType(i);
        if (t.rank() != 0 && !(t.rank() == 1 && t.dim(0) == 1)) {
            throw node.error(name + " must be a scalar (rank 0), found " + t.text());
        }
        return node.input(i);
    }
}
