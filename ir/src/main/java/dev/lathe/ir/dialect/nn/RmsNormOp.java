package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
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
 * {@code nn.rms_norm}: root-mean-square normalization (ONNX RMSNormalization without its
 * {@code stash_type}), what {@code recognize-rms-norm} makes of {@code x * rsqrt(mean(x^2) + eps) * gamma}.
 * Operands {@code x} and {@code scale} (x's element type, broadcasting to x); attributes
 * {@code axis} (integer, default -1): the first normalized dim (it and every later dim are
 * normalized together), {@code epsilon} (float, default 1e-5).
 *
 * <p>One result of x's type: {@code y = x * (1 / sqrt(mean(x^2) + epsilon)) * scale}, the mean
 * over dims {@code axis..rank-1}.
 *
 * <p>{@code %y = "nn.rms_norm"(%x, %g) {axis = -1, epsilon = 1.0e-06 : f32} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>}
 *
 * <p>Numerics: in double, rounded once.
 */
public final class RmsNormOp extends AbstractOpDefinition {

    public static final String NAME = "nn.rms_norm";

    public RmsNormOp() {
        super(NAME, "divides x by the root mean square of its trailing dims from axis, then scales",
                new OpSchema(2, 2, 1, 0, List.of(AttrSpec.optional("axis", IntegerAttr.class),
                        AttrSpec.optional("epsilon", FloatAttr.class)), false),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "an operand");
        TensorType scale = NnTypes.tensor(operandTypes, 1);
        if (scale.elementType() != x.elementType() || scale.rank() > x.rank()
                || Broadcast.shape(scale.shapeArray(), x.shapeArray()) == null) {
            throw new InvalidOpException("expects a scale of element type " + x.elementType().text()
                    + " broadcasting to " + x.text() + ", found " + scale.text());
        }
        ReductionMath.axis(ReductionMath.integer(attributes, "axis", -1), x.rank(), "axis");
        return List.of(x);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr scale = operands.get(1);
        long[] shape = x.type().shapeArray();
        int axis = ReductionMath.axis(ReductionMath.integer(op.attributes(), "axis", -1), shape.length, "axis");
        double epsilon = ReductionMath.real(op.attributes(), "epsilon", 1e-5);
        ReductionMath.Groups groups = ReductionMath.Groups.of(shape, ReductionMath.trailing(shape.length, axis));
        int[] scaleAt = Broadcast.map(scale.type().shapeArray(), shape);
        double[] y = new double[(int) x.numElements()];
        for (int g = 0; g < groups.count(); g++) {
            double[] v = groups.doubles(x, g);
            double squares = 0;
            for (double e : v) {
                squares += e * e;
            }
            double inv = 1 / Math.sqrt(squares / v.length + epsilon);
            for (int i : groups.members()[g]) {
                y[i] = x.getDouble(i) * inv * scale.getDouble(scaleAt[i]);
            }
        }
        return List.of(NnTypes.floats(x.elementType(), shape, y));
    }
}
