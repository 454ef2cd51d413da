package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import java.util.List;

/**
 * ONNX ops that map one-to-one onto an {@code nn} op of one operand and no attributes
 * ({@code Relu} -> {@code nn.relu}). Opset 1's {@code consumed_inputs} (a memory hint) is ignored.
 */
final class UnaryConverter implements OnnxOpConverter {

    private final String nnOp;

    UnaryConverter(String nnOp) {
        this.nnOp = nnOp;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        return List.of(ctx.builder().create(nnOp, node.input(0)));
    }
}
