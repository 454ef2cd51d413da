package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.frontend.onnx.OnnxOpRegistry;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.nn.ConvIntegerOp;
import dev.lathe.ir.dialect.nn.MatmulIntegerOp;
import dev.lathe.ir.dialect.nn.QLinearConvOp;
import dev.lathe.ir.dialect.nn.QLinearMatmulOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code ConvInteger}, {@code MatMulInteger} (opset 10: absent zero points become explicit
 * zeros of the data's type), {@code QLinearConv} and {@code QLinearMatMul} (opsets 10-21, inputs
 * in ONNX's order) as the nn ops of the same names; the conv forms take the window attributes
 * of {@link WindowAttrs}.
 */
final class QuantizedConverter implements OnnxOpConverter {

    private final String nnOp;

    private QuantizedConverter(String nnOp) {
        this.nnOp = nnOp;
    }

    static void registerAll(OnnxOpRegistry r) {
        r.register("ConvInteger", new QuantizedConverter(ConvIntegerOp.NAME));
        r.register("MatMulInteger", new QuantizedConverter(MatmulIntegerOp.NAME));
        r.register("QLinearConv", new QuantizedConverter(QLinearConvOp.NAME));
        r.register("QLinearMatMul", new QuantizedConverter(QLinearMatmulOp.NAME));
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        boolean isConv = nnOp.equals(ConvIntegerOp.NAME) || nnOp.equals(QLinearConvOp.NAME);
        boolean qlinear = nnOp.startsWith("nn.qlinear");
        Map<String, Attribute> attrs = isConv
                ? WindowAttrs.withWeights(node, WindowAttrs.of(node, "strides", "dilations", "pads"),
                        node.inputType(qlinear ? 3 : 1))
                : new TreeMap<>();
        List<Value> operands = new ArrayList<>();
        if (qlinear) {
            for (int i = 0; i < 8; i++) {
                operands.add(node.input(i));
            }
            if (node.hasInput(8)) {
                operands.add(node.input(8));
            }
        } else {
            operands.add(node.input(0));
            operands.add(node.input(1));
            for (int i = 2; i < 4; i++) {
                operands.add(node.hasInput(i) ? node.input(i) : ctx.scalar(node.inputType(i - 2).elementType(), 0));
            }
        }
        return List.of(ctx.builder().create(nnOp, operands, attrs));
    }
}
