package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.reduce_sum}: sums over some dimensions. Attributes: {@code axes} (array of integers,
 * optional): the dimensions to reduce, negative ones counting from the end, no duplicates;
 * absent, every dimension ({@code []} reduces none). {@code keepdims} (bool, optional, default
 * true): whether reduced dimensions stay as size 1 or are removed. Not on i1.
 *
 * <p>Dynamic form: the axes as a second operand (1-D i64, known only at run time; empty means
 * all axes, or none with {@code noop_with_empty_axes}); result dims are then {@code ?}.
 *
 * <p>{@code %1 = "nn.reduce_sum"(%0) {axes = [-1], keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>}
 *
 * <p>Reference numerics: floats sum in double and round once; integers wrap around. Folds to
 * its operand when the result type equals the operand type (only size-1 dimensions reduced).
 */
public final class ReduceSumOp extends AbstractOpDefinition {

    public static final String NAME = "nn.reduce_sum";

    public ReduceSumOp() {
        super(NAME, "sums over the given axes (default all), keeping them as size 1 unless keepdims = false",
                OpSchema.of(1, AttrSpec.optional("axes", ArrayAttr.class), AttrSpec.optional("keepdims", BoolAttr.class),
                        AttrSpec.optional("noop_with_empty_axes", BoolAttr.class)).withOperands(1, 2),
                Set.of(Trait.PURE));
    }

    /** Which dimensions of an operand of {@code rank} the attributes reduce, checked. */
    public static boolean[] reducedAxes(Map<String, Attribute> attributes, int rank) {
        long[] axes = NnTypes.longs(attributes, "axes");
        boolean[] reduced = new boolean[rank];
        if (axes == null) {
            Arrays.fill(reduced, true);
            return reduced;
        }
        for (long axis : axes) {
            if (axis < -rank || axis >= rank) {
                throw new InvalidOpException("axes " + NnTypes.text(axes) + " has axis " + axis
                        + ", out of range for rank " + rank + " (expected " + -rank + ".." + (rank - 1) + ")");
            }
            int a = (int) (axis < 0 ? axis + rank : axis);
            if (reduced[a]) {
                throw new InvalidOpException("axes " + NnTypes.text(axes) + " names dimension " + a + " twice");
            }
            reduced[a] = true;
        }
        return reduced;
    }

    private static long[] resultShape(TensorType x, Map<String, Attribute> attributes) {
        return resultShape(x.shapeArray(), reducedAxes(attributes, x.rank()), NnTypes.bool(attributes, "keepdims", true));
    }

    private static long[] resultShape(long[] dims, boolean[] reduced, boolean keepdims) {
        List<Long> shape = new ArrayList<>();
        for (int d = 0; d < dims.length; d++) {
            if (!reduced[d]) {
                shape.add(dims[d]);
            } else if (keepdims) {
                shape.add(1L);
            }
        }
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        NnTypes.requireArithmetic(x);
        if (operandTypes.size() == 2) {
            return ReduceOp.dynamicResultType(x, operandTypes, attributes, NnTypes.bool(attributes, "keepdims", true));
        }
        return List.of(NnTypes.type(x.elementType(), resultShape(x, attributes)));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return op.numOperands() == 1 && op.operand(0).type() == op.result().type()
                ? List.of(FoldResult.existing(op.operand(0))) : null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        NnTypes.requireArithmetic(x.type());
        long[] shape = x.type().shapeArray();
        boolean[] reduced = operands.size() == 1 ? reducedAxes(op.attributes(), shape.length)
                : ReduceOp.runtimeAxes(operands.get(1), shape.length,
                        NnTypes.bool(op.attributes(), "noop_with_empty_axes", false));
        long[] kept = shape.clone();
        long terms = 1;
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d]) {
                kept[d] = 1;
                terms *= shape[d];
            }
        }
        // Each input element adds into the output element at its index with reduced dims zeroed.
        long[] toOutput = IndexMath.strides(kept);
        for (int d = 0; d < shape.length; d++) {
            toOutput[d] = reduced[d] ? 0 : toOutput[d];
        }
        int[] target = IndexMath.offsets(shape, toOutput);
        long[] outShape = resultShape(shape, reduced, NnTypes.bool(op.attributes(), "keepdims", true));
        int n = IndexMath.count(kept);
        if (x.elementType().isFloat()) {
            double[] out = new double[n];
            Arrays.fill(out, NnTypes.sumStart(terms));
            for (int i = 0; i < target.length; i++) {
                out[target[i]] += x.getDouble(i);
            }
            return List.of(NnTypes.floats(x.elementType(), outShape, out));
        }
        long[] out = new long[n];
        for (int i = 0; i < target.length; i++) {
            out[target[i]] += x.getLong(i);
        }
        return List.of(NnTypes.integers(x.elementType(), outShape, out));
    }
}
