package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.EinsumOp;
import java.util.List;
import java.util.Map;

/** ONNX {@code Einsum} (opset 12 on) as {@code nn.einsum} with the equation, spaces removed. */
final class EinsumConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        String equation = node.string("equation");
        if (equation == null) {
            throw node.error("requires attribute 'equation'");
        }
        List<Value> operands = node.inputs().stream().peek(v -> {
            if (v == null) {
                throw node.error("inputs may not be empty");
            }
        }).toList();
        return List.of(ctx.builder().create(EinsumOp.NAME, operands,
                Map.of("equation", new StringAttr(equation.replace(" ", "")))));
    }
}
