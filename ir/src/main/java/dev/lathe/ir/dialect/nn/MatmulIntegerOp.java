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
 * {@code nn.matmul_integer}: {@code nn.matmul} of {@code a - a_zero_point} and
 * {@code b - b_zero_point} in i32 (ONNX MatMulInteger). Operands {@code a}, {@code b} (u8 or
 * i8), {@code a_zero_point} (a's type; one element, or per row: {@code [M]}), {@code b_zero_point}
 * (b's type; one element, or per column: {@code [N]}); the importer supplies zeros for absent
 * ones. Shapes, batch broadcasting and 1-D promotion as {@code nn.matmul}; sums wrap in 32 bits.
 *
 * <p>{@code %y = "nn.matmul_integer"(%a, %b, %az, %bz) : (tensor<4x3xu8>, tensor<3x2xu8>,
 * tensor<1xu8>, tensor<1xu8>) -> tensor<4x2xi32>}
 */
public final class MatmulIntegerOp extends AbstractOpDefinition {

    public static final String NAME = "nn.matmul_integer";

    private static final MatmulOp MATMUL = new MatmulOp();

    public MatmulIntegerOp() {
        super(NAME, "integer matrix product of zero-point-shifted u8/i8 tensors into i32 (ONNX MatMulInteger)",
                OpSchema.of(4), Set.of(Trait.PURE));
    }

    /** Checks the operands; returns the i32 result type. */
    static TensorType check(TensorType a, TensorType az, TensorType b, TensorType bz) {
        Quantization.requireQuantized(a, "a");
        Quantization.requireQuantized(b, "b");
        NnTypes.requireSameElementType(a, az);
        NnTypes.requireSameElementType(b, bz);
        Quantization.axis(a, az, Math.max(0, a.rank() - 2), "a zero point");
        Quantization.axis(b, bz, b.rank() - 1, "b zero point");
        return (TensorType) MATMUL.inferResultTypes(List.of(a.withElementType(ScalarType.I32),
                b.withElementType(ScalarType.I32)), Map.of()).get(0);
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        return List.of(check(NnTypes.tensor(operandTypes, 0), NnTypes.tensor(operandTypes, 2),
                NnTypes.tensor(operandTypes, 1), NnTypes.tensor(operandTypes, 3)));
    }

    /** The i32 product of the shifted operands, for this op and {@code nn.qlinear_matmul}. */
    static DenseElementsAttr multiply(Operation op, DenseElementsAttr a, DenseElementsAttr az, DenseElementsAttr b,
            DenseElementsAttr bz) {
        check(a.type(), az.type(), b.type(), bz.type());
        long[] as = a.type().shapeArray();
        long[] bs = b.type().shapeArray();
        long[] av = ConvKernel.shift(a.toLongs(), as, Math.max(0, as.length - 2), az.toLongs());
        long[] bv = ConvKernel.shift(b.toLongs(), bs, bs.length - 1, bz.toLongs());
        // |a - az|, |b - bz| < 2^8, so the shifted values are exact in i32; nn.matmul wraps sums to 32 bits.
        return MATMUL.evaluate(op, List.of(NnTypes.integers(ScalarType.I32, as, av),
                NnTypes.integers(ScalarType.I32, bs, bv))).get(0);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        return List.of(multiply(op, operands.get(0), operands.get(2), operands.get(1), operands.get(3)));
    }
}
