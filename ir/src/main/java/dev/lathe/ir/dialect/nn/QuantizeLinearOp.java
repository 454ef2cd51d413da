package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.Numbers;
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
 * {@code nn.quantize_linear}: {@code y = saturate(round(x / scale) + zero_point)} (ONNX
 * QuantizeLinear). Operands {@code x} (float, or i32), {@code scale} (float), {@code zero_point}
 * (the result's integer type: u8, i8, u16, i16, ...); scale and zero point are per tensor (one
 * element) or per axis (1-D, {@code dim(axis)} elements). Attribute {@code axis} (integer,
 * default 1, negative from the end). Result: {@code x}'s shape, {@code zero_point}'s type.
 *
 * <p>{@code %y = "nn.quantize_linear"(%x, %s, %z) : (tensor<6xf32>, tensor<f32>, tensor<u8>) -> tensor<6xu8>}
 *
 * <p>The quotient is rounded to {@code x}'s type (as ONNX computes it in that type), then to the
 * nearest integer, ties to even, and saturated to the result's range; NaN gives 0 (ONNX leaves
 * it open).
 */
public final class QuantizeLinearOp extends AbstractOpDefinition {

    public static final String NAME = "nn.quantize_linear";

    public QuantizeLinearOp() {
        super(NAME, "y = saturate(round(x / scale) + zero_point), per tensor or per axis",
                OpSchema.of(3, AttrSpec.optional("axis", IntegerAttr.class)), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType scale = NnTypes.tensor(operandTypes, 1);
        TensorType zero = NnTypes.tensor(operandTypes, 2);
        NnTypes.requireArithmetic(x);
        ConvAttrs.requireFloat(scale, "a scale");
        Quantization.requireQuantized(zero, "a zero point");
        long axis = ConvAttrs.integer(attributes, "axis", 1);
        Quantization.axis(x, scale, axis, "a scale");
        Quantization.axis(x, zero, axis, "a zero point");
        return List.of(x.withElementType(zero.elementType()));
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
        long[] out = new long[si.length];
        boolean isFloat = x.elementType().isFloat();
        for (int i = 0; i < out.length; i++) {
            double q = x.getDouble(i) / scale.getDouble(si[i]);
            q = isFloat ? Numbers.roundTo(q, x.elementType()) : Quantization.f32(q);
            out[i] = Quantization.saturate(Math.rint(q) + zero.getLong(zi[i]), zero.elementType());
        }
        return List.of(NnTypes.integers(zero.elementType(), shape, out));
    }
}
