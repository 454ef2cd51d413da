package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.top_k}: the {@code k} largest (or smallest) elements along one dim, and their indices.
 * Attributes {@code axis} (integer, default -1), {@code largest} (bool, default true),
 * {@code sorted} (bool, default true). Two results: the values (operand element type) and the
 * indices (i64), both of the operand's shape with dim {@code axis} of size {@code k}.
 *
 * <p>Static form {@code (x) {k}}: {@code k} an integer attribute, at most the size of the dim.
 * Dynamic form {@code (x, k)}: {@code k} a one-element i64 tensor read at run time; the result dim
 * is {@code ?}.
 * {@code %v, %i = "nn.top_k"(%x) {axis = 1, k = 2} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)}
 *
 * <p>Order: by value, ties by the lower index first (as ONNX requires); NaN ranks above every
 * number (numpy's sort order), {@code -0.0} and {@code +0.0} tie. With {@code sorted = false}
 * ONNX allows any order; Lathe returns the sorted one. Every arithmetic element type.
 */
public final class TopKOp extends AbstractOpDefinition {

    public static final String NAME = "nn.top_k";

    public TopKOp() {
        super(NAME, "the k largest or smallest elements along an axis, with their indices",
                new OpSchema(1, 2, 2, 0, List.of(AttrSpec.optional("k", IntegerAttr.class),
                        AttrSpec.optional("axis", IntegerAttr.class), AttrSpec.optional("largest", BoolAttr.class),
                        AttrSpec.optional("sorted", BoolAttr.class)), false),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        NnTypes.requireArithmetic(x);
        int axis = ReductionMath.axis(ReductionMath.integer(attributes, "axis", -1), x.rank(), "axis");
        long[] shape = x.shapeArray();
        if (operandTypes.size() == 2) {
            TensorType k = NnTypes.tensor(operandTypes, 1);
            if (k.elementType() != ScalarType.I64 || k.rank() > 1 || (k.rank() == 1 && k.dim(0) > 1)) {
                throw new InvalidOpException("expects k as one i64 (tensor<1xi64> or tensor<i64>), found " + k.text());
            }
            if (attributes.containsKey("k")) {
                throw new InvalidOpException("expects k either as an operand or as an attribute, found both");
            }
            shape[axis] = TensorType.DYNAMIC;
        } else {
            if (!attributes.containsKey("k")) {
                throw new InvalidOpException("expects k as an attribute or a second operand, found neither");
            }
            shape[axis] = checkedK(ReductionMath.integer(attributes, "k", 0), x.dim(axis));
        }
        return List.of(TensorType.of(x.elementType(), shape), TensorType.of(ScalarType.I64, shape));
    }

    private static long checkedK(long k, long dim) {
        if (k < 0 || (dim != TensorType.DYNAMIC && k > dim)) {
            throw new InvalidOpException("expects k in 0.." + (dim == TensorType.DYNAMIC ? "the dim size" : dim)
                    + ", found " + k);
        }
        return k;
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
        long kValue = operands.size() == 2 ? operands.get(1).getLong(0) : ReductionMath.integer(op.attributes(), "k", 0);
        int k = (int) checkedK(kValue, shape[axis]);
        boolean largest = NnTypes.bool(op.attributes(), "largest", true);
        ReductionMath.Groups groups = ReductionMath.Groups.of(shape, ReductionMath.single(shape.length, axis));
        long[] outShape = shape.clone();
        outShape[axis] = k;
        // Output element (group g, rank r) sits where the group's member r would if the dim had size k.
        ReductionMath.Groups outGroups = ReductionMath.Groups.of(outShape, ReductionMath.single(shape.length, axis));
        int[] picks = new int[outGroups.group().length];
        long[] indices = new long[picks.length];
        Comparator<Integer> order = order(x, largest);
        for (int g = 0; g < groups.count(); g++) {
            int[] members = groups.members()[g];
            Integer[] ranks = new Integer[members.length];
            for (int j = 0; j < ranks.length; j++) {
                ranks[j] = j;
            }
            Arrays.sort(ranks, (a, b) -> order.compare(members[a], members[b])); // stable: ties keep index order
            for (int r = 0; r < k; r++) {
                int at = outGroups.members()[g][r];
                picks[at] = members[ranks[r]];
                indices[at] = ranks[r];
            }
        }
        return List.of(NnTypes.gather(x, outShape, picks), NnTypes.integers(ScalarType.I64, outShape, indices));
    }

    /** Element positions ordered best first. */
    private static Comparator<Integer> order(DenseElementsAttr x, boolean largest) {
        ScalarType t = x.elementType();
        Comparator<Integer> ascending;
        if (t.isFloat()) {
            // NaN above everything; -0.0 and +0.0 equal.
            ascending = (a, b) -> {
                double u = x.getDouble(a);
                double v = x.getDouble(b);
                return Double.isNaN(u) || Double.isNaN(v) ? Boolean.compare(Double.isNaN(u), Double.isNaN(v))
                        : Double.compare(u + 0.0, v + 0.0);
            };
        } else if (t.isUnsigned()) {
            ascending = (a, b) -> Long.compareUnsigned(x.getLong(a), x.getLong(b));
        } else {
            ascending = (a, b) -> Long.compare(x.getLong(a), x.getLong(b));
        }
        return largest ? ascending.reversed() : ascending;
    }
}
