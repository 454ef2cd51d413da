package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.nn.RangeOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code Range}: {@code nn.range(%start, %limit, %delta)}, whose length is {@code ?}; when
 * all three are known at import time the sequence itself is computed (by {@code nn.range}'s
 * reference semantics) and becomes an {@code nn.constant} of static shape.
 */
final class RangeConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        List<Value> inputs = List.of(node.input(0), node.input(1), node.input(2));
        ctx.builder().inferResultTypes(RangeOp.NAME, inputs, Map.of()); // checks the operands at the node
        List<DenseElementsAttr> values = new ArrayList<>();
        for (Value v : inputs) {
            DenseElementsAttr c = ctx.constantValue(v);
            if (c == null) {
                return List.of(ctx.builder().create(RangeOp.NAME, inputs, Map.of()));
            }
            values.add(c);
        }
        try {
            DenseElementsAttr range = DialectRegistry.global().lookup(RangeOp.NAME).orElseThrow()
                    .evaluate(null, values).get(0);
            return List.of(ctx.constant(range));
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }
}
