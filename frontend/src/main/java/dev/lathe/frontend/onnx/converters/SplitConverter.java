package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.SplitOp;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code Split}: the sizes come from the {@code split} attribute (before opset 13) or input
 * (13 on), else equal pieces, one per output: {@code num_outputs} in opset 18, the number of
 * outputs before. Known sizes become {@code nn.split {split = [...]}}; equal pieces
 * {@code nn.split {num_outputs}} (ceil-sized, the last piece smaller as Split-18 says); sizes
 * known only at run time the dynamic form {@code nn.split(%x, %split)}.
 */
final class SplitConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value x = node.input(0);
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("axis", IntegerAttr.of(node.intOr("axis", 0)));
        long[] split = node.opset() < 13 ? node.ints("split") : null;
        Value splitInput = node.opset() >= 13 ? node.inputOrNull(1) : null;
        if (splitInput != null) {
            TensorType t = node.inputType(1);
            if (t.rank() != 1 || !t.elementType().isInteger()) {
                throw node.error("split must be a 1-D tensor of integers, found " + t.text());
            }
            split = ctx.constantLongs(splitInput);
        }
        Operation op;
        if (split != null) {
            attrs.put("split", ArrayAttr.ofLongs(split));
            op = ctx.builder().createOp(SplitOp.NAME, List.of(x), attrs);
        } else if (splitInput != null) {
            op = ctx.builder().createOp(SplitOp.NAME, List.of(x, splitInput), attrs);
        } else {
            long n = node.opset() >= 18 && node.has("num_outputs") ? node.intOr("num_outputs", 1) : node.numOutputs();
            attrs.put("num_outputs", IntegerAttr.of(n));
            op = ctx.builder().createOp(SplitOp.NAME, List.of(x), attrs);
        }
        if (op.numResults() != node.numOutputs()) {
            throw node.error("the split gives " + op.numResults() + " pieces but the node has " + node.numOutputs()
                    + " outputs");
        }
        return ImportTimeFolding.results(ctx, op);
    }
}
