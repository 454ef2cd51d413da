package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.gelu}: ONNX Gelu-20, elementwise on floats. Attribute {@code approximate}
 * ({@code "none"}, the default, or {@code "tanh"}):
 * {@code none}: {@code 0.5 * x * (1 + erf(x / sqrt(2)))};
 * {@code tanh}: {@code 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))}.
 *
 * <p>{@code %1 = "nn.gelu"(%0) {approximate = "tanh"} : (tensor<2x?xf32>) -> tensor<2x?xf32>}
 *
 * <p>Numerics: in double ({@link Erf} for erf), rounded once to the element type.
 */
public final class GeluOp extends AbstractOpDefinition {

    public static final String NAME = "nn.gelu";

    private static final double SQRT_2 = Math.sqrt(2);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    public GeluOp() {
        super(NAME, "Gaussian error linear unit, exact (erf) or tanh-approximated",
                OpSchema.of(1, AttrSpec.optional("approximate", StringAttr.class)),
                Set.of(Trait.PURE, Trait.ELEMENTWISE));
    }

    /** Whether {@code attributes} ask for the tanh approximation; rejects values other than none and tanh. */
    private static boolean isTanh(Map<String, Attribute> attributes) {
        Attribute a = attributes.get("approximate");
        if (a == null) {
            return false;
        }
        String mode = ((StringAttr) a).value();
        return switch (mode) {
            case "none" -> false;
            case "tanh" -> true;
            default -> throw new InvalidOpException("attribute 'approximate' must be \"none\" or \"tanh\", found "
                    + a.text());
        };
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "an operand");
        isTanh(attributes);
        return List.of(x);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    /** GELU of one value in double. */
    public static double gelu(double x, boolean tanh) {
        double inner = tanh ? Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)) : Erf.erf(x / SQRT_2);
        return 0.5 * x * (1 + inner);
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        ReductionMath.requireFloat(x.type(), "an operand");
        boolean tanh = isTanh(op.attributes());
        long[] shape = x.type().shapeArray();
        double[] out = new double[IndexMath.count(shape)];
        for (int i = 0; i < out.length; i++) {
            out[i] = gelu(x.getDouble(i), tanh);
        }
        return List.of(NnTypes.floats(x.elementType(), shape, out));
    }
}
