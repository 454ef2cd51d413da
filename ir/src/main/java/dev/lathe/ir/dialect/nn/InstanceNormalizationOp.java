package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
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
 * {@code nn.instance_normalization}: ONNX InstanceNormalization. Operands {@code x [N, C, d...]}
 * (float, rank >= 3), {@code scale [C]} and {@code bias [C]} of the same element type; attribute
 * {@code epsilon} (f32, default 1e-5). Each {@code (n, c)} slice is normalized over its spatial
 * dims: {@code y = (x - mean) / sqrt(variance + epsilon) * scale[c] + bias[c]}. The result type
 * is the type of {@code x}.
 *
 * <p>{@code %y = "nn.instance_normalization"(%x, %s, %b) {epsilon = 1.0e-05 : f32} : (tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3xf32>}
 *
 * <p>Numerics: in double, rounded once; the variance is the mean of squared deviations (two passes).
 */
public final class InstanceNormalizationOp extends AbstractOpDefinition {

    public static final String NAME = "nn.instance_normalization";

    public InstanceNormalizationOp() {
        super(NAME, "normalizes each (batch, channel) slice over its spatial dims, then scales and shifts",
                OpSchema.of(3, AttrSpec.optional("epsilon", FloatAttr.class)), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "an input");
        if (x.rank() < 3) {
            throw new InvalidOpException("expects an input of rank >= 3 ([N, C, d...]), found " + x.text());
        }
        for (int i = 1; i < 3; i++) {
            TensorType t = NnTypes.tensor(operandTypes, i);
            if (t.rank() != 1 || t.elementType() != x.elementType() || !ReductionMath.compatible(t.dim(0), x.dim(1))) {
                throw new InvalidOpException("expects " + (i == 1 ? "scale" : "bias") + " of type tensor<"
                        + (x.isDynamic(1) ? "?" : x.dim(1)) + "x" + x.elementType().text() + ">, found " + t.text());
            }
        }
        return List.of(x);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] shape = x.type().shapeArray();
        double epsilon = ReductionMath.real(op.attributes(), "epsilon", 1e-5);
        ReductionMath.Groups slices = ReductionMath.Groups.of(shape, ReductionMath.trailing(shape.length, 2));
        long channels = shape[1];
        double[] y = new double[(int) x.numElements()];
        for (int g = 0; g < slices.count(); g++) {
            double[] v = slices.doubles(x, g);
            double mean = ReductionMath.mean(v);
            double inv = 1 / Math.sqrt(ReductionMath.variance(v, mean) + epsilon);
            double scale = operands.get(1).getDouble(g % channels);
            double bias = operands.get(2).getDouble(g % channels);
            for (int i : slices.members()[g]) {
                y[i] = (x.getDouble(i) - mean) * inv * scale + bias;
            }
        }
        return List.of(NnTypes.floats(x.elementType(), shape, y));
    }
}
