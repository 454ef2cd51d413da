package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.batch_normalization}: ONNX BatchNormalization over channel dim 1 of
 * {@code x [N, C, d...]}. Operands {@code x, scale, bias, mean, var}, the last four of shape
 * {@code [C]}; attributes {@code epsilon} (f32, default 1e-5), {@code momentum} (f32, default
 * 0.9), {@code training_mode} (bool, default false). Float element types.
 *
 * <p>Three results: {@code y = (x - m) / sqrt(v + epsilon) * scale + bias} per channel, and the
 * running mean and variance. In inference mode {@code m, v} are the {@code mean, var} operands
 * and the running statistics are those operands unchanged. In training mode {@code m, v} are
 * the batch's mean and population variance over every dim but 1 (two passes), and the running
 * statistics are {@code mean * momentum + m * (1 - momentum)} (likewise for {@code var}), as in
 * ONNX's reference.
 *
 * <p>{@code %y, %rm, %rv = "nn.batch_normalization"(%x, %s, %b, %m, %v) {epsilon = 1.0e-05 : f32} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)}
 */
public final class BatchNormalizationOp extends AbstractOpDefinition {

    public static final String NAME = "nn.batch_normalization";

    private static final String[] OPERANDS = {"x", "scale", "bias", "mean", "var"};

    public BatchNormalizationOp() {
        super(NAME, "normalizes each channel (dim 1) with given or batch statistics, then scales and shifts",
                new OpSchema(5, 5, 3, 0, List.of(AttrSpec.optional("epsilon", FloatAttr.class),
                        AttrSpec.optional("momentum", FloatAttr.class), AttrSpec.optional("training_mode", BoolAttr.class)),
                        false),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "an input");
        if (x.rank() < 2) {
            throw new InvalidOpException("expects an input of rank >= 2 ([N, C, d...]), found " + x.text());
        }
        for (int i = 1; i < 5; i++) {
            TensorType t = NnTypes.tensor(operandTypes, i);
            if (t.rank() != 1 || !t.elementType().isFloat() || !ReductionMath.compatible(t.dim(0), x.dim(1))) {
                throw new InvalidOpException("expects " + OPERANDS[i] + " of shape [" + (x.isDynamic(1) ? "?" : x.dim(1))
                        + "] (one per channel of " + x.text() + "), found " + t.text());
            }
        }
        return List.of(x, operandTypes.get(3), operandTypes.get(4));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr mean = operands.get(3);
        DenseElementsAttr var = operands.get(4);
        long[] shape = x.type().shapeArray();
        double epsilon = ReductionMath.real(op.attributes(), "epsilon", 1e-5);
        double momentum = ReductionMath.real(op.attributes(), "momentum", 0.9);
        boolean training = NnTypes.bool(op.attributes(), "training_mode", false);
        boolean[] notChannel = new boolean[shape.length];
        Arrays.fill(notChannel, true);
        notChannel[1] = false;
        ReductionMath.Groups channels = ReductionMath.Groups.of(shape, notChannel);
        int c = channels.count();
        double[] y = new double[(int) x.numElements()];
        double[] runningMean = mean.toDoubles();
        double[] runningVar = var.toDoubles();
        for (int ch = 0; ch < c; ch++) {
            double m = mean.getDouble(ch);
            double v = var.getDouble(ch);
            if (training) {
                double[] values = channels.doubles(x, ch);
                m = ReductionMath.mean(values);
                v = ReductionMath.variance(values, m);
                runningMean[ch] = runningMean[ch] * momentum + m * (1 - momentum);
                runningVar[ch] = runningVar[ch] * momentum + v * (1 - momentum);
            }
            double inv = 1 / Math.sqrt(v + epsilon);
            double scale = operands.get(1).getDouble(ch);
            double bias = operands.get(2).getDouble(ch);
            for (int i : channels.members()[ch]) {
                y[i] = (x.getDouble(i) - m) * inv * scale + bias;
            }
        }
        return List.of(NnTypes.floats(x.elementType(), shape, y),
                NnTypes.floats(mean.elementType(), mean.type().shapeArray(), runningMean),
                NnTypes.floats(var.elementType(), var.type().shapeArray(), runningVar));
    }
}
