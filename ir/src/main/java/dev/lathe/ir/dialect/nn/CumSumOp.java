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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.cumsum}: ONNX CumSum, running sums along one axis. Attributes {@code exclusive}
 * (bool, default false: element {@code i} excludes itself, the first sum is 0) and
 * {@code reverse} (bool, default false: sums run from the end). The axis is the attribute
 * {@code axis} (integer, required in the static form; negatives count from the end) or, in the
 * dynamic form {@code nn.cumsum(%x, %axis)}, a one-element integer operand read at run time.
 * Floats accumulate in double and each result is rounded once (so compiled kernels that
 * accumulate in the element type differ by rounding); integers wrap. Arithmetic element types.
 *
 * <p>{@code %1 = "nn.cumsum"(%0) {axis = 0, exclusive = true} : (tensor<5xf64>) -> tensor<5xf64>}
 */
public final class CumSumOp extends AbstractOpDefinition {

    public static final String NAME = "nn.cumsum";

    public CumSumOp() {
        super(NAME, "running sums along one axis (optionally exclusive or reversed)",
                OpSchema.of(1, AttrSpec.optional("axis", IntegerAttr.class), AttrSpec.optional("exclusive", BoolAttr.class),
                        AttrSpec.optional("reverse", BoolAttr.class)).withOperands(1, 2),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        NnTypes.requireArithmetic(x);
        if (operandTypes.size() > 1) {
            TensorType a = NnTypes.tensor(operandTypes, 1);
            if (!a.elementType().isInteger() || a.rank() > 1 || a.elementType() == ScalarType.I1) {
                throw new InvalidOpException("expects a scalar integer axis operand, found " + a.text());
            }
        } else if (!attributes.containsKey("axis")) {
            throw new InvalidOpException("requires attribute 'axis' (or an axis operand)");
        } else {
            ShapeSupport.axis(ShapeSupport.integer(attributes, "axis", 0), Math.max(x.rank(), 1), "axis");
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
        long rawAxis = operands.size() > 1 ? operands.get(1).getLong(0) : ShapeSupport.integer(op.attributes(), "axis", 0);
        boolean exclusive = NnTypes.bool(op.attributes(), "exclusive", false);
        boolean reverse = NnTypes.bool(op.attributes(), "reverse", false);
        ScalarType et = x.elementType();
        if (shape.length == 0) {
            ShapeSupport.axis(rawAxis, 1, "axis");
            return List.of(exclusive ? NnTypes.integers(et, shape, new long[] {0}) : x);
        }
        int axis = ShapeSupport.axis(rawAxis, shape.length, "axis");
        int n = (int) x.numElements();
        long stride = IndexMath.strides(shape)[axis];
        long len = shape[axis];
        double[] fs = new double[n];
        long[] is = new long[n];
        for (int start = 0; start < n; start++) {
            if ((start / stride) % len != 0) {
                continue; // not the first element of a line along axis
            }
            double fsum = -0.0; // the exact identity of +, as in nn.reduce_sum
            long isum = 0;
            for (long s = 0; s < len; s++) {
                int i = (int) (start + (reverse ? len - 1 - s : s) * stride);
                if (exclusive) {
                    fs[i] = s == 0 ? 0.0 : fsum;
                    is[i] = isum;
                }
                fsum += et.isFloat() ? x.getDouble(i) : 0;
                isum += et.isFloat() ? 0 : x.getLong(i);
                if (!exclusive) {
                    fs[i] = fsum;
                    is[i] = isum;
                }
            }
        }
        return List.of(et.isFloat() ? NnTypes.floats(et, shape, fs) : NnTypes.integers(et, shape, is));
    }
}
