package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.layer_normalization}: ONNX LayerNormalization. Operands {@code x}, {@code scale} and
 * optionally {@code bias}, both broadcasting to {@code x}; attributes {@code axis} (integer,
 * default -1): the first normalized dim (it and every later dim are normalized together),
 * {@code epsilon} (f32, default 1e-5), {@code stash_type} (a float type, default f32): the element
 * type of the mean and inverse standard deviation results.
 *
 * <p>Three results: {@code y = (x - mean) * inv_std_dev * scale + bias} (the type of {@code x}),
 * {@code mean} and {@code inv_std_dev = 1 / sqrt(variance + epsilon)}, both shaped like {@code x}
 * with the normalized dims 1.
 *
 * <p>{@code %y, %m, %s = "nn.layer_normalization"(%x, %g, %b) {axis = -1, epsilon = 1.0e-05 : f32} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>)}
 *
 * <p>Numerics: in double, rounded once per result (ONNX computes in {@code stash_type}); the
 * variance is the mean of squared deviations from the mean (two passes), never
 * {@code E[x^2] - E[x]^2}.
 */
public final class LayerNormalizationOp extends AbstractOpDefinition {

    public static final String NAME = "nn.layer_normalization";

    public LayerNormalizationOp() {
        super(NAME, "normalizes x over its trailing dims from axis, then scales and shifts",
                new OpSchema(2, 3, 3, 0, List.of(AttrSpec.optional("axis", IntegerAttr.class),
                        AttrSpec.optional("epsilon", FloatAttr.class), AttrSpec.optional("stash_type", TypeAttr.class)),
                        false),
                Set.of(Trait.PURE));
    }

    private static ScalarType stashType(Map<String, Attribute> attributes) {
        Attribute a = attributes.get("stash_type");
        if (a == null) {
            return ScalarType.F32;
        }
        if (a instanceof TypeAttr t && t.type() instanceof ScalarType s && s.isFloat()) {
            return s;
        }
        throw new InvalidOpException("attribute 'stash_type' must be a float type, found " + a.text());
    }

    private static void requireBroadcastsTo(TensorType operand, TensorType x, String what) {
        if (operand.elementType() != x.elementType() || operand.rank() > x.rank()
                || Broadcast.shape(operand.shapeArray(), x.shapeArray()) == null) {
            throw new InvalidOpException("expects " + what + " of element type " + x.elementType().text()
                    + " broadcasting to " + x.text() + ", found " + operand.text());
        }
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "an operand");
        requireBroadcastsTo(NnTypes.tensor(operandTypes, 1), x, "a scale");
        if (operandTypes.size() > 2) {
            requireBroadcastsTo(NnTypes.tensor(operandTypes, 2), x, "a bias");
        }
        int axis = ReductionMath.axis(ReductionMath.integer(attributes, "axis", -1), x.rank(), "axis");
        TensorType stats = ReductionMath.reducedType(x, stashType(attributes), ReductionMath.trailing(x.rank(), axis), true);
        return List.of(x, stats, stats);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] shape = x.type().shapeArray();
        int axis = ReductionMath.axis(ReductionMath.integer(op.attributes(), "axis", -1), shape.length, "axis");
        double epsilon = ReductionMath.real(op.attributes(), "epsilon", 1e-5);
        boolean[] normalized = ReductionMath.trailing(shape.length, axis);
        ReductionMath.Groups groups = ReductionMath.Groups.of(shape, normalized);
        DenseElementsAttr scale = operands.get(1);
        DenseElementsAttr bias = operands.size() > 2 ? operands.get(2) : null;
        int[] scaleAt = Broadcast.map(scale.type().shapeArray(), shape);
        int[] biasAt = bias == null ? null : Broadcast.map(bias.type().shapeArray(), shape);
        double[] y = new double[(int) x.numElements()];
        double[] means = new double[groups.count()];
        double[] invStdDevs = new double[groups.count()];
        for (int g = 0; g < groups.count(); g++) {
            double[] v = groups.doubles(x, g);
            double mean = ReductionMath.mean(v);
            double inv = 1 / Math.sqrt(ReductionMath.variance(v, mean) + epsilon);
            means[g] = mean;
            invStdDevs[g] = inv;
            for (int i : groups.members()[g]) {
                double shifted = (x.getDouble(i) - mean) * inv * scale.getDouble(scaleAt[i]);
                y[i] = bias == null ? shifted : shifted + bias.getDouble(biasAt[i]);
            }
        }
        long[] statsShape = ReductionMath.reducedShape(shape, normalized, true);
        ScalarType stash = stashType(op.attributes());
        return List.of(NnTypes.floats(x.elementType(), shape, y), NnTypes.floats(stash, statsShape, means),
                NnTypes.floats(stash, statsShape, invStdDevs));
    }
}
