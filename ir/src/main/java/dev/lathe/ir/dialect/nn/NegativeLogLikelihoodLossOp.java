package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.negative_log_likelihood_loss}: ONNX NegativeLogLikelihoodLoss. Operands
 * {@code input} {@code [N, C, d1..dk]} (float, log-probabilities), {@code target}
 * {@code [N, d1..dk]} (i32 or i64 class indices) and optionally {@code weight} {@code [C]}
 * (the input's element type). Attributes: {@code reduction} ({@code "none"}, {@code "sum"} or
 * {@code "mean"}, default {@code "mean"}), {@code ignore_index} (integer, optional).
 *
 * <p>{@code loss[n, d] = -weight[t] * input[n, t, d]} with {@code t = target[n, d]}
 * ({@code weight} 1 when absent); where {@code t == ignore_index} the loss and its weight are 0.
 * {@code "none"} returns {@code loss} ({@code [N, d1..dk]}), {@code "sum"} its sum, {@code "mean"}
 * its sum divided by the sum of the weights used (a count without {@code weight}); both rank 0.
 *
 * <p>{@code %l = "nn.negative_log_likelihood_loss"(%x, %t) {reduction = "sum"} : (tensor<3x5xf32>, tensor<3xi64>) -> tensor<f32>}
 *
 * <p>Numerics: in double, rounded once. A target outside {@code 0..C-1} that is not ignored is an
 * error (ONNX leaves it undefined). A mean whose weights sum to 0 (everything ignored) is
 * {@code 0/0 = NaN}, as in ONNX's reference.
 */
public final class NegativeLogLikelihoodLossOp extends AbstractOpDefinition {

    public static final String NAME = "nn.negative_log_likelihood_loss";

    public NegativeLogLikelihoodLossOp() {
        super(NAME, "negative log-likelihood loss of log-probabilities at target classes",
                OpSchema.of(2, AttrSpec.optional("reduction", StringAttr.class),
                        AttrSpec.optional("ignore_index", IntegerAttr.class)).withOperands(2, 3),
                Set.of(Trait.PURE));
    }

    static String reduction(Map<String, Attribute> attributes) {
        return ReductionMath.choice(attributes, "reduction", "mean", "none", "sum", "mean");
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType input = NnTypes.tensor(operandTypes, 0);
        TensorType target = NnTypes.tensor(operandTypes, 1);
        ReductionMath.requireFloat(input, "an input");
        if (input.rank() < 2) {
            throw new InvalidOpException("expects an input of rank >= 2 ([N, C, d...]), found " + input.text());
        }
        if (target.elementType() != ScalarType.I32 && target.elementType() != ScalarType.I64) {
            throw new InvalidOpException("expects a target of i32 or i64 elements, found " + target.text());
        }
        long[] shape = new long[input.rank() - 1];
        boolean ok = target.rank() == shape.length;
        for (int d = 0; ok && d < shape.length; d++) {
            long in = input.dim(d == 0 ? 0 : d + 1);
            ok = ReductionMath.compatible(in, target.dim(d));
            shape[d] = in == TensorType.DYNAMIC ? target.dim(d) : in;
        }
        if (!ok) {
            throw new InvalidOpException("expects a target of the input's shape without dim 1 (classes), found input "
                    + input.text() + " and target " + target.text());
        }
        if (operandTypes.size() == 3) {
            TensorType weight = NnTypes.tensor(operandTypes, 2);
            if (weight.rank() != 1 || weight.elementType() != input.elementType()
                    || !ReductionMath.compatible(weight.dim(0), input.dim(1))) {
                throw new InvalidOpException("expects a weight of type tensor<" + (input.isDynamic(1) ? "?" : input.dim(1))
                        + "x" + input.elementType().text() + "> (one per class), found " + weight.text());
            }
        }
        boolean none = reduction(attributes).equals("none");
        return List.of(TensorType.of(input.elementType(), none ? shape : new long[0]));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr input = operands.get(0);
        DenseElementsAttr target = operands.get(1);
        DenseElementsAttr weight = operands.size() > 2 ? operands.get(2) : null;
        long[] inShape = input.type().shapeArray();
        long[] targetShape = target.type().shapeArray();
        long[] expected = new long[inShape.length - 1];
        for (int d = 0; d < expected.length; d++) {
            expected[d] = inShape[d == 0 ? 0 : d + 1];
        }
        if (!Arrays.equals(expected, targetShape)) {
            throw new IllegalArgumentException("'" + NAME + "': target " + target.type().text()
                    + " does not match input " + input.type().text());
        }
        long classes = inShape[1];
        long inner = IndexMath.count(targetShape) / Math.max(1, inShape[0]);
        Attribute ignoreAttr = op.attributes().get("ignore_index");
        Long ignore = ignoreAttr == null ? null : ReductionMath.integer(op.attributes(), "ignore_index", 0);
        double[] loss = new double[(int) target.numElements()];
        double lossSum = NnTypes.sumStart(loss.length);
        double weightSum = 0;
        for (int i = 0; i < loss.length; i++) {
            long t = target.getLong(i);
            if (ignore != null && t == ignore) {
                loss[i] = 0;
                continue;
            }
            if (t < 0 || t >= classes) {
                throw new IllegalArgumentException("'" + NAME + "': target " + t + " at element " + i
                        + " is out of range 0.." + (classes - 1));
            }
            long n = i / inner;
            long d = i % inner;
            double w = weight == null ? 1 : weight.getDouble(t);
            loss[i] = -w * input.getDouble((n * classes + t) * inner + d);
            lossSum += loss[i];
            weightSum += w;
        }
        ScalarType et = input.elementType();
        return List.of(switch (reduction(op.attributes())) {
            case "none" -> NnTypes.floats(et, targetShape, loss);
            case "sum" -> NnTypes.floats(et, new long[0], new double[] {lossSum});
            default -> NnTypes.floats(et, new long[0], new double[] {lossSum / weightSum});
        });
    }
}
