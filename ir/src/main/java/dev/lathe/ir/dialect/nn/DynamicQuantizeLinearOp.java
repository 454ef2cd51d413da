package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.dynamic_quantize_linear}: quantizes a float tensor to u8 with a scale and zero point
 * computed from its range (ONNX DynamicQuantizeLinear). Three results: {@code y} (u8, x's shape),
 * {@code scale} (f32 scalar), {@code zero_point} (u8 scalar):
 * {@code scale = (max(0, max x) - min(0, min x)) / 255}, {@code zero_point =
 * saturate(round(-min(0, min x) / scale))}, {@code y = saturate(round(x / scale) + zero_point)}.
 *
 * <p>{@code %y, %s, %z = "nn.dynamic_quantize_linear"(%x) : (tensor<6xf32>) -> (tensor<6xu8>, tensor<f32>, tensor<u8>)}
 *
 * <p>Every step is rounded to f32, as ONNX specifies; rounding is half to even. An all-zero input
 * has scale 0; Lathe then gives zero point 0 and {@code y = 0} (ONNX leaves 0/0 open).
 */
public final class DynamicQuantizeLinearOp extends AbstractOpDefinition {

    public static final String NAME = "nn.dynamic_quantize_linear";

    public DynamicQuantizeLinearOp() {
        super(NAME, "u8 quantization with scale and zero point from the input's range",
                OpSchema.of(1).withResults(3), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ConvAttrs.requireFloat(x, "an input");
        return List.of(x.withElementType(ScalarType.U8), TensorType.of(ScalarType.F32), TensorType.of(ScalarType.U8));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < x.numElements(); i++) {
            lo = Math.min(lo, x.getDouble(i));
            hi = Math.max(hi, x.getDouble(i));
        }
        double scale = Quantization.f32(Quantization.f32(hi - lo) / 255);
        long zero = scale == 0 ? 0 : Quantization.saturate(Quantization.f32(0 - Quantization.f32(lo / scale)), ScalarType.U8);
        long[] y = new long[(int) x.numElements()];
        for (int i = 0; i < y.length; i++) {
            y[i] = scale == 0 ? 0 : Quantization.saturate(Math.rint(Quantization.f32(x.getDouble(i) / scale)) + zero,
                    ScalarType.U8);
        }
        return List.of(NnTypes.integers(ScalarType.U8, x.type().shapeArray(), y),
                DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32), scale),
                DenseElementsAttr.fromLongs(TensorType.of(ScalarType.U8), zero));
    }
}
