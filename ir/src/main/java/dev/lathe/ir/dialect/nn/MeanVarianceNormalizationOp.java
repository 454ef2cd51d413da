package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
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
 * {@code nn.mean_variance_normalization}: ONNX MeanVarianceNormalization,
 * {@code (x - mean) / (sqrt(variance) + 1e-9)} with mean and variance over {@code axes} (array of
 * ints as in {@code nn.reduce_sum}; absent: every dim; the importer writes ONNX's default
 * {@code [0, 2, 3]}). Float element types; the result type is the operand type.
 *
 * <p>{@code %y = "nn.mean_variance_normalization"(%x) {axes = [0, 2, 3]} : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>}
 *
 * <p>Numerics: the epsilon {@code 1e-9} is the one in ONNX's function body; in double, rounded
 * once; the variance is the mean of squared deviations (two passes), where ONNX's function body
 * computes {@code E[x^2] - E[x]^2}.
 */
public final class MeanVarianceNormalizationOp extends AbstractOpDefinition {

    public static final String NAME = "nn.mean_variance_normalization";

    /** Added to the standard deviation, as in ONNX's definition. */
    static final double EPSILON = 1e-9;

    public MeanVarianceNormalizationOp() {
        super(NAME, "subtracts the mean and divides by the standard deviation over the given axes",
                OpSchema.of(1, AttrSpec.optional("axes", ArrayAttr.class)), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "an operand");
        ReduceSumOp.reducedAxes(attributes, x.rank());
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
        ReductionMath.Groups groups = ReductionMath.Groups.of(shape, ReduceSumOp.reducedAxes(op.attributes(), shape.length));
        double[] y = new double[(int) x.numElements()];
        for (int g = 0; g < groups.count(); g++) {
            double[] v = groups.doubles(x, g);
            double mean = ReductionMath.mean(v);
            double std = Math.sqrt(ReductionMath.variance(v, mean));
            for (int i : groups.members()[g]) {
                y[i] = (x.getDouble(i) - mean) / (std + EPSILON);
            }
        }
        return List.of(NnTypes.floats(x.elementType(), shape, y));
    }
}
