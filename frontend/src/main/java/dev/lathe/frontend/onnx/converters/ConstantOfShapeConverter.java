package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.ConstantOfShapeOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code ConstantOfShape}: {@code nn.constant_of_shape} with the {@code value} attribute
 * (default a float 0) as a one-element {@code dense<...>}, and the shape input as the attribute
 * {@code shape} when known at import time, else as the dynamic form's operand.
 */
final class ConstantOfShapeConverter implements OnnxOpConverter {

    private static final DenseElementsAttr DEFAULT = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 1), 0.0);

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        DenseElementsAttr value = node.tensor("value");
        if (value == null) {
            value = DEFAULT;
        } else if (value.numElements() != 1) {
            throw node.error("attribute 'value' must hold one element, found " + value.type().text());
        } else {
            value = value.reshape(TensorType.of(value.elementType(), 1));
        }
        Value shape = node.input(0);
        long[] known = ctx.constantLongs(shape);
        if (known != null) {
            Map<String, Attribute> attrs = Map.of("value", value, "shape", ArrayAttr.ofLongs(known));
            return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(ConstantOfShapeOp.NAME, List.of(), attrs)));
        }
        return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(ConstantOfShapeOp.NAME, List.of(shape), Map.of("value", value))));
    }
}
