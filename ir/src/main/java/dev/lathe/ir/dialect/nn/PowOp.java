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
 * {@code nn.pow}: {@code base ^ exponent} elementwise with numpy broadcasting (ONNX {@code Pow}).
 * The exponent may have another element type than the base (float or integer, not i1); the
 * result has the base's element type.
 *
 * <p>{@code %2 = "nn.pow"(%0, %1) : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>}
 *
 * <p>Numerics: a float base is raised in double ({@link Math#pow}) and rounded once. An integer
 * base with a float exponent: the double result truncated toward zero (saturating, NaN gives 0),
 * as ONNX Runtime's cast does. Integer base and integer exponent: exact repeated squaring,
 * wrapping to the width; a negative exponent (which numpy rejects and ONNX leaves open) gives the
 * truncated real result: {@code 1} for base 1, {@code ±1} for base -1, else 0 (0 for base 0 too).
 */
public final class PowOp extends AbstractOpDefinition {

    public static final String NAME = "nn.pow";

    public PowOp() {
        super(NAME, "base ^ exponent elementwise, numpy broadcasting; result has the base's element type",
                OpSchema.of(2), Set.of(Trait.PURE, Trait.ELEMENTWISE, Trait.BROADCASTING));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType base = NnTypes.tensor(operandTypes, 0);
        TensorType exponent = NnTypes.tensor(operandTypes, 1);
        ElementKinds.require(base, ElementKinds.NUMERIC, "the base");
        ElementKinds.require(exponent, ElementKinds.NUMERIC, "the exponent");
        return List.of(ElementKinds.broadcast(List.of(base, exponent), base.elementType()));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        inferResultTypes(List.of(operands.get(0).type(), operands.get(1).type()), op.attributes());
        DenseElementsAttr a = operands.get(0);
        DenseElementsAttr b = operands.get(1);
        long[] shape = ElementKinds.shape(operands);
        int[][] maps = ElementKinds.maps(operands, shape);
        ScalarType et = a.elementType();
        int n = maps[0].length;
        if (et.isFloat()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = Math.pow(a.getDouble(maps[0][i]), b.getDouble(maps[1][i]));
            }
            return List.of(NnTypes.floats(et, shape, out));
        }
        long[] out = new long[n];
        ScalarType bt = b.elementType();
        for (int i = 0; i < n; i++) {
            if (bt.isFloat()) {
                out[i] = (long) Math.pow(a.getDouble(maps[0][i]), b.getDouble(maps[1][i]));
            } else {
                out[i] = power(a.getLong(maps[0][i]), b.getLong(maps[1][i]), bt.isUnsigned());
            }
        }
        return List.of(NnTypes.integers(et, shape, out));
    }

    /** {@code base ^ exponent} wrapping mod 2^64 (the width wraps it further); the exponent may be unsigned. */
    static long power(long base, long exponent, boolean unsignedExponent) {
        if (exponent < 0 && !unsignedExponent) {
            return base == 1 ? 1 : base == -1 ? ((exponent & 1) == 0 ? 1 : -1) : 0;
        }
        long result = 1;
        long square = base;
        for (long e = exponent; e != 0; e >>>= 1) {
            if ((e & 1) != 0) {
                result *= square;
            }
            square *= square;
        }
        return result;
    }
}
