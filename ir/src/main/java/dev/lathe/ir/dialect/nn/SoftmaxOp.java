package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.softmax}, {@code nn.log_softmax} and {@code nn.hardmax}: normalize each group of
 * elements that differ only in the dims {@code axes} (array of ints, required, non-empty,
 * negatives from the end). ONNX opset 13 on normalizes one axis ({@code axes = [axis]}); earlier
 * opsets coerce the input to 2-D at {@code axis}, which is {@code axes = [axis, ..., rank-1]}.
 * Float element types; the result type is the operand type.
 *
 * <p>{@code %1 = "nn.softmax"(%0) {axes = [1]} : (tensor<2x3xf32>) -> tensor<2x3xf32>}
 *
 * <p>Numerics (in double, rounded once): softmax is {@code exp(x - max) / sum(exp(x - max))},
 * log_softmax {@code x - max - log(sum(exp(x - max)))}, so neither overflows; a group holding
 * NaN is all NaN; a group whose max is {@code +inf} gives NaN (as the formula does in ONNX's
 * reference). hardmax is 1 at the first maximum of the group in row-major order, 0 elsewhere
 * (a NaN counts as the maximum, as numpy's argmax).
 */
public final class SoftmaxOp extends AbstractOpDefinition {

    enum Kind { SOFTMAX, LOG_SOFTMAX, HARDMAX }

    private final Kind kind;

    private SoftmaxOp(String name, String summary, Kind kind) {
        super(name, summary, OpSchema.of(1, AttrSpec.required("axes", ArrayAttr.class)), Set.of(Trait.PURE));
        this.kind = kind;
    }

    public static List<OpDefinition> all() {
        return List.of(
                new SoftmaxOp("nn.softmax", "exp(x) normalized to sum to 1 over the given axes", Kind.SOFTMAX),
                new SoftmaxOp("nn.log_softmax", "log of nn.softmax, computed stably", Kind.LOG_SOFTMAX),
                new SoftmaxOp("nn.hardmax", "1 at the first maximum over the given axes, 0 elsewhere", Kind.HARDMAX));
    }

    private static boolean[] axes(Map<String, Attribute> attributes, int rank) {
        boolean[] reduced = ReduceSumOp.reducedAxes(attributes, rank);
        long[] axes = NnTypes.longs(attributes, "axes");
        if (axes == null || axes.length == 0) {
            throw new InvalidOpException("expects at least one axis, found axes = []");
        }
        return reduced;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "an operand");
        axes(attributes, x.rank());
        return List.of(x);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        ReductionMath.requireFloat(x.type(), "an operand");
        long[] shape = x.type().shapeArray();
        ReductionMath.Groups groups = ReductionMath.Groups.of(shape, axes(op.attributes(), shape.length));
        double[] out = new double[(int) x.numElements()];
        for (int g = 0; g < groups.count(); g++) {
            double[] v = groups.doubles(x, g);
            double[] r = switch (kind) {
                case SOFTMAX -> softmax(v, false);
                case LOG_SOFTMAX -> softmax(v, true);
                case HARDMAX -> hardmax(v);
            };
            int[] members = groups.members()[g];
            for (int j = 0; j < r.length; j++) {
                out[members[j]] = r[j];
            }
        }
        return List.of(NnTypes.floats(x.elementType(), shape, out));
    }

    /** Softmax or its log over one group, shifted by the group's max. */
    static double[] softmax(double[] v, boolean log) {
        double max = ReduceKind.MAX.reduce(v);
        double sum = 0;
        for (double x : v) {
            sum += Math.exp(x - max);
        }
        double logSum = Math.log(sum);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = log ? v[i] - max - logSum : Math.exp(v[i] - max) / sum;
        }
        return out;
    }

    private static double[] hardmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length && !Double.isNaN(v[best]); i++) {
            if (Double.isNaN(v[i]) || v[i] > v[best]) {
                best = i;
            }
        }
        double[] out = new double[v.length];
        if (v.length > 0) {
            out[best] = 1;
        }
        return out;
    }
}
