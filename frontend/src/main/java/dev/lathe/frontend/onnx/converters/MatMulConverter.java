package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.MatmulOp;
import java.util.List;

/** ONNX {@code MatMul} (numpy matmul semantics, every opset) is {@code nn.matmul}. */
final class MatMulConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        return List.of(ctx.builder().create(MatmulOp.NAME, node.input(0), node.input(1)));
    }
}
