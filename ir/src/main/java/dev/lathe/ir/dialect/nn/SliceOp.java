package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.slice}: ONNX Slice. For each listed axis, elements {@code start, start + step, ...}
 * up to (excluding) {@code end}; other dims are kept whole. Negative starts and ends count from
 * the end of the dim, then are clamped to {@code [0, dim]} for positive steps and to
 * {@code [-1, dim - 1]} for negative steps (so out-of-range bounds are allowed, as in ONNX); a
 * step of 0 is an error, as is an axis named twice. Any element type.
 *
 * <p>Static form: {@code nn.slice(%x) {starts, ends, axes, steps}} (arrays of integers;
 * {@code axes} defaults to {@code 0..n-1}, {@code steps} to ones). Dynamic form:
 * {@code nn.slice(%x, %starts, %ends, %axes, %steps)}, four 1-D integer operands of one length,
 * read at run time; every result dim is then {@code ?}.
 *
 * <p>{@code %1 = "nn.slice"(%0) {starts = [1], ends = [-1], axes = [1], steps = [1]} : (tensor<2x5xf32>) -> tensor<2x3xf32>}
 *
 * <p>Folds a slice that keeps every element in order to its operand.
 */
public final class SliceOp extends AbstractOpDefinition {

    public static final String NAME = "nn.slice";

    public SliceOp() {
        super(NAME, "takes a strided range of elements along some axes",
                new OpSchema(1, 5, 1, 0, List.of(AttrSpec.optional("starts", ArrayAttr.class),
                        AttrSpec.optional("ends", ArrayAttr.class), AttrSpec.optional("axes", ArrayAttr.class),
                        AttrSpec.optional("steps", ArrayAttr.class)), false),
                Set.of(Trait.PURE));
    }

    /** Per dim of {@code shape}: {start, step, size} of the slice ({@code ?} dims give size -1). */
    static long[][] plan(long[] shape, long[] starts, long[] ends, long[] axes, long[] steps) {
        int n = starts.length;
        axes = axes != null ? axes : java.util.stream.LongStream.range(0, n).toArray();
        steps = steps != null ? steps : java.util.stream.LongStream.generate(() -> 1).limit(n).toArray();
        if (ends.length != n || axes.length != n || steps.length != n) {
            throw new InvalidOpException("expects starts, ends, axes and steps of one length, found "
                    + NnTypes.text(starts) + ", " + NnTypes.text(ends) + ", " + NnTypes.text(axes) + ", "
                    + NnTypes.text(steps));
        }
        long[][] plan = new long[shape.length][];
        for (int d = 0; d < shape.length; d++) {
            plan[d] = new long[] {0, 1, shape[d]};
        }
        boolean[] seen = new boolean[shape.length];
        for (int i = 0; i < n; i++) {
            int axis = ShapeSupport.axis(axes[i], shape.length, "axis");
            if (seen[axis]) {
                throw new InvalidOpException("axes " + NnTypes.text(axes) + " names dimension " + axis + " twice");
            }
            seen[axis] = true;
            if (steps[i] == 0) {
                throw new InvalidOpException("steps " + NnTypes.text(steps) + " has a step of 0");
            }
            long dim = shape[axis];
            plan[axis] = ShapeSupport.known(dim) ? bounds(starts[i], ends[i], steps[i], dim)
                    : new long[] {0, steps[i], TensorType.DYNAMIC};
        }
        return plan;
    }

    private static long[] bounds(long start, long end, long step, long dim) {
        start = start < 0 ? start + dim : start;
        end = end < 0 ? end + dim : end;
        if (step > 0) {
            start = Math.clamp(start, 0, dim);
            end = Math.clamp(end, 0, dim);
            return new long[] {start, step, end > start ? (end - start + step - 1) / step : 0};
        }
        start = Math.clamp(start, 0, dim - 1);
        end = Math.clamp(end, -1, dim - 1);
        return new long[] {start, step, start > end ? (start - end - step - 1) / -step : 0};
    }

    private static long[] attr(Map<String, Attribute> attributes, String name) {
        return NnTypes.longs(attributes, name);
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        if (operandTypes.size() > 1) {
            if (operandTypes.size() != 5) {
                throw new InvalidOpException("expects 1 operand (static form) or 5 (x, starts, ends, axes, steps), found "
                        + operandTypes.size());
            }
            for (int i = 1; i < 5; i++) {
                ShapeSupport.integerOperand(operandTypes, i, 1, List.of("starts", "ends", "axes", "steps").get(i - 1));
            }
            return List.of(ShapeSupport.dynamic(x.elementType(), x.rank()));
        }
        long[] starts = attr(attributes, "starts");
        long[] ends = attr(attributes, "ends");
        if (starts == null || ends == null) {
            throw new InvalidOpException("expects attributes 'starts' and 'ends' (or the dynamic form's operands)");
        }
        long[][] plan = plan(x.shapeArray(), starts, ends, attr(attributes, "axes"), attr(attributes, "steps"));
        long[] shape = new long[plan.length];
        for (int d = 0; d < plan.length; d++) {
            shape[d] = plan[d][2];
        }
        return List.of(NnTypes.type(x.elementType(), shape));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        if (op.numOperands() != 1 || op.operand(0).type() != op.result().type()) {
            return null;
        }
        TensorType x = (TensorType) op.operand(0).type();
        if (!x.hasStaticShape()) {
            return null;
        }
        Map<String, Attribute> a = op.attributes();
        long[][] plan = plan(x.shapeArray(), attr(a, "starts"), attr(a, "ends"), attr(a, "axes"), attr(a, "steps"));
        for (long[] p : plan) {
            if (p[2] > 1 && (p[0] != 0 || p[1] != 1)) {
                return null;
            }
        }
        return List.of(FoldResult.existing(op.operand(0)));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] shape = x.type().shapeArray();
        Map<String, Attribute> a = op.attributes();
        long[][] plan;
        try {
            plan = operands.size() > 1
                    ? plan(shape, operands.get(1).toLongs(), operands.get(2).toLongs(), operands.get(3).toLongs(),
                            operands.get(4).toLongs())
                    : plan(shape, attr(a, "starts"), attr(a, "ends"), attr(a, "axes"), attr(a, "steps"));
        } catch (InvalidOpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        long[] strides = IndexMath.strides(shape);
        long[] outShape = new long[shape.length];
        long[] outStrides = new long[shape.length];
        long base = 0;
        for (int d = 0; d < shape.length; d++) {
            outShape[d] = plan[d][2];
            outStrides[d] = strides[d] * plan[d][1];
            base += plan[d][2] > 0 ? plan[d][0] * strides[d] : 0;
        }
        int[] source = IndexMath.offsets(outShape, outStrides);
        for (int i = 0; i < source.length; i++) {
            source[i] += (int) base;
        }
        return List.of(NnTypes.gather(x, outShape, source));
    }
}
