package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.arg_max} and {@code nn.arg_min}: the index (i64) of the largest or smallest element
 * along one dim. Attributes: {@code axis} (integer, default 0, negative counts from the end),
 * {@code keepdims} (bool, default true), {@code select_last_index} (bool, default false): on ties
 * the last index instead of the first. Every arithmetic element type.
 *
 * <p>{@code %1 = "nn.arg_max"(%0) {axis = 1, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xi64>}
 *
 * <p>NaN counts as more extreme than every number for both (numpy's argmax and argmin return the
 * first NaN); ONNX leaves NaN open. {@code -0.0} and {@code +0.0} tie. An empty axis is an error.
 */
public final class ArgReduceOp extends AbstractOpDefinition {

    private final boolean max;

    private ArgReduceOp(boolean max) {
        super(max ? "nn.arg_max" : "nn.arg_min",
                "the index of the " + (max ? "largest" : "smallest") + " element along an axis",
                OpSchema.of(1, AttrSpec.optional("axis", IntegerAttr.class), AttrSpec.optional("keepdims", BoolAttr.class),
                        AttrSpec.optional("select_last_index", BoolAttr.class)),
                Set.of(Trait.PURE));
        this.max = max;
    }

    public static List<OpDefinition> all() {
        return List.of(new ArgReduceOp(true), new ArgReduceOp(false));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        NnTypes.requireArithmetic(x);
        int axis = ReductionMath.axis(ReductionMath.integer(attributes, "axis", 0), x.rank(), "axis");
        return List.of(ReductionMath.reducedType(x, ScalarType.I64, ReductionMath.single(x.rank(), axis),
                NnTypes.bool(attributes, "keepdims", true)));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] shape = x.type().shapeArray();
        int axis = ReductionMath.axis(ReductionMath.integer(op.attributes(), "axis", 0), shape.length, "axis");
        if (shape[axis] == 0) {
            throw new ArithmeticException("'" + name() + "': no element along axis " + axis + " of " + x.type().text());
        }
        boolean last = NnTypes.bool(op.attributes(), "select_last_index", false);
        boolean[] reduced = ReductionMath.single(shape.length, axis);
        ReductionMath.Groups groups = ReductionMath.Groups.of(shape, reduced);
        long[] out = new long[groups.count()];
        for (int g = 0; g < out.length; g++) {
            out[g] = x.elementType().isFloat() ? pick(groups.doubles(x, g), last)
                    : pick(groups.longs(x, g), x.elementType(), last);
        }
        long[] outShape = ReductionMath.reducedShape(shape, reduced, NnTypes.bool(op.attributes(), "keepdims", true));
        return List.of(NnTypes.integers(ScalarType.I64, outShape, out));
    }

    private int pick(double[] v, boolean last) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Double.isNaN(v[best])) {
                if (last && Double.isNaN(v[i])) {
                    best = i;
                }
                continue;
            }
            int c = Double.isNaN(v[i]) ? 1 : Double.compare(v[i] == 0 ? 0.0 : v[i], v[best] == 0 ? 0.0 : v[best]);
            if (Double.isNaN(v[i]) || better(max ? c : -c, last)) {
                best = i;
            }
        }
        return best;
    }

    private int pick(long[] v, ScalarType t, boolean last) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            int c = t.isUnsigned() ? Long.compareUnsigned(v[i], v[best]) : Long.compare(v[i], v[best]);
            if (better(max ? c : -c, last)) {
                best = i;
            }
        }
        return best;
    }

    /** Whether a candidate that compares {@code c} to the best so far (in the op's direction) replaces it. */
    private static boolean better(int c, boolean last) {
        return c > 0 || (c == 0 && last);
    }
}
