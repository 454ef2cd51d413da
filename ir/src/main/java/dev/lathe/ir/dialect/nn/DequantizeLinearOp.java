package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.dequantize_linear}: {@code y = (x - zero_point) * scale} (ONNX DequantizeLinear).
 * Operands {@code x} (an 8-, 16- or 32-bit integer type), {@code scale} (float; the result's
 * element type), {@code zero_point} ({@code x}'s type); per tensor or per axis as in
 * {@code nn.quantize_linear}. Attribute {@code axis} (integer, default 1).
 *
 * <p>{@code %y = "nn.dequantize_linear"(%x, %s, %z) : (tensor<4xu8>, tensor<f32>, tensor<u8>) -> tensor<4xf32>}
 *
 * <p>The difference is exact (64-bit), the product is computed in double and rounded once.
 */
public final class DequantizeLinearOp extends AbstractOpDefinition {

    public static final String NAME = "nn.dequantize_linear";

    public DequantizeLinearOp() {
        super(NAME, "y = (x - zero_point) * scale, per tensor or per axis",
                OpSchema.of(3, AttrSpec.optional("axis", IntegerAttr.class)), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType scale = NnTypes.tensor(operandTypes, 1);
        TensorType zero = NnTypes.tensor(operandTypes, 2);
        Quantization.requireQuantized(x, "an input");
        NnTypes.requireSameElementType(x, zero);
        ConvAttrs.requireFloat(scale, "a scale");
        long axis = ConvAttrs.integer(attributes, "axis", 1);
        Quantization.axis(x, scale, axis, "a scale");
        Quantization.axis(x, zero, axis, "a zero point");
        return List.of(x.withElementType(scale.elementType()));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr scale = operands.get(1);
        DenseElementsAttr zero = operands.get(2);
        long[] shape = x.type().shapeArray();
        Quantization.ParameterIndex index = Quantization.ParameterIndex.of(x, scale, zero, op.attributes());
        int[] si = index.scale();
        int[] zi = index.zeroPoint();
        double[] out = new double[si.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (double) (x.getLong(i) - zero.getLong(zi[i])) * scale.getDouble(si[i]);
        }
        return List.of(NnTypes.floats(scale.elementType(), shape, out));
    }
}
