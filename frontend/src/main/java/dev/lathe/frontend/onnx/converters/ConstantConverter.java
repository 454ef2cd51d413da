package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX {@code Constant}: an {@code nn.constant} (inline or a resource, as
 * {@link ConversionContext#constant} decides) named after the node's output. Every attribute
 * form: {@code value} (a tensor), {@code sparse_value} (densified), {@code value_float(s)} (f32),
 * {@code value_int(s)} (i64); {@code value_string(s)} is rejected, since Lathe has no strings.
 */
final class ConstantConverter implements OnnxOpConverter {

    private static final List<String> FORMS = List.of("value", "sparse_value", "value_float", "value_floats",
            "value_int", "value_ints", "value_string", "value_strings");

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        List<String> given = new ArrayList<>();
        for (String form : FORMS) {
            if (node.has(form)) {
                given.add(form);
            }
        }
        if (given.size() != 1) {
            throw node.error("needs exactly one of the attributes " + String.join(", ", FORMS) + ", found "
                    + (given.isEmpty() ? "none" : String.join(", ", given)));
        }
        DenseElementsAttr value = switch (given.get(0)) {
            case "value" -> node.tensor("value");
            case "sparse_value" -> node.sparseTensor("sparse_value");
            case "value_float" -> DenseElementsAttr.splat(TensorType.of(ScalarType.F32), node.floatOr("value_float", 0));
            case "value_floats" -> floats(node.floats("value_floats"));
            case "value_int" -> DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64), node.intOr("value_int", 0));
            case "value_ints" -> {
                long[] v = node.ints("value_ints");
                yield DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, v.length), v);
            }
            default -> throw node.unsupported("string constants ('" + given.get(0)
                    + "'): Lathe has no string element type");
        };
        String name = node.numOutputs() > 0 ? node.outputNames().get(0) : null;
        return List.of(ctx.constant(value, name));
    }

    private static DenseElementsAttr floats(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, v.length), d);
    }
}
