package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.nn.TransposeOp;
import java.util.List;
import java.util.Map;

/** ONNX {@code Transpose} is {@code nn.transpose} with the same {@code perm} (absent: reverse the dims). */
final class TransposeConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        long[] perm = node.ints("perm");
        Map<String, Attribute> attrs = perm == null ? Map.of() : Map.of("perm", ArrayAttr.ofLongs(perm));
        return List.of(ctx.builder().create(TransposeOp.NAME, List.of(node.input(0)), attrs));
    }
}
