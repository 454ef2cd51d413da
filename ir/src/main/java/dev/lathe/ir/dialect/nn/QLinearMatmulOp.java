package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.qlinear_matmul}: quantized matrix product (ONNX QLinearMatMul), operands in ONNX's
 * order {@code a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point}:
 * {@code acc = matmul_integer(a, b)}, {@code y = saturate(round(acc * a_scale * b_scale / y_scale)
 * + y_zero_point)} in {@code y_zero_point}'s type. Scales and zero points per tensor (one
 * element); {@code a}'s may be per row and {@code b}'s per column as in {@code nn.matmul_integer}.
 *
 * <p>The multiplier is computed in f32 as ONNX does, the product in double, rounding half to even.
 */
public final class QLinearMatmulOp extends AbstractOpDefinition {

    public static final String NAME = "nn.qlinear_matmul";

    public QLinearMatmulOp() {
        super(NAME, "quantized matrix product with requantization (ONNX QLinearMatMul)", OpSchema.of(8),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType acc = MatmulIntegerOp.check(NnTypes.tensor(operandTypes, 0), NnTypes.tensor(operandTypes, 2),
                NnTypes.tensor(operandTypes, 3), NnTypes.tensor(operandTypes, 5));
        for (int i : new int[] {1, 4, 6}) {
            ConvAttrs.requireFloat(NnTypes.tensor(operandTypes, i), "scales");
        }
        TensorType yz = NnTypes.tensor(operandTypes, 7);
        Quantization.requireQuantized(yz, "y_zero_point");
        return List.of(acc.withElementType(yz.elementType()));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr acc = MatmulIntegerOp.multiply(op, operands.get(0), operands.get(2), operands.get(3),
                operands.get(5));
        DenseElementsAttr as = operands.get(1);
        DenseElementsAttr bs = operands.get(4);
        double ys = operands.get(6).getDouble(0);
        DenseElementsAttr yz = operands.get(7);
        long[] shape = acc.type().shapeArray();
        long[] out = new long[(int) acc.numElements()];
        long n = shape.length == 0 ? 1 : shape[shape.length - 1];
        long m = shape.length < 2 ? 1 : shape[shape.length - 2];
        for (int i = 0; i < out.length; i++) {
            double sa = as.getDouble(as.numElements() == 1 ? 0 : (int) ((i / n) % m));
            double sb = bs.getDouble(bs.numElements() == 1 ? 0 : (int) (i % n));
            double multiplier = Quantization.f32(Quantization.f32(sa * sb) / ys);
            out[i] = Quantization.saturate(Math.rint(acc.getLong(i) * multiplier) + yz.getLong(0), yz.elementType());
        }
        return List.of(NnTypes.integers(yz.elementType(), shape, out));
    }
}
