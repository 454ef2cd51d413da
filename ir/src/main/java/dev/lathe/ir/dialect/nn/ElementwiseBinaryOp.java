package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The broadcasting binary arithmetic ops ({@code nn.add}, {@code nn.sub}, {@code nn.mul},
 * {@code nn.div}): two tensors of one element type (not i1), broadcast with numpy rules.
 *
 * <p>Reference numerics: floats are computed in double and rounded once to the element type,
 * which is exactly the IEEE-754 result for f32, f16 and bf16 (double has more than twice their
 * precision plus two bits); integers are computed in 64 bits and wrap around in their width.
 */
public abstract sealed class ElementwiseBinaryOp extends AbstractOpDefinition permits AddOp, SubOp, MulOp, DivOp {

    ElementwiseBinaryOp(String name, String summary, boolean commutative) {
        super(name, summary, OpSchema.of(2), traits(commutative));
    }

    private static Set<Trait> traits(boolean commutative) {
        EnumSet<Trait> t = EnumSet.of(Trait.PURE, Trait.ELEMENTWISE, Trait.BROADCASTING);
        if (commutative) {
            t.add(Trait.COMMUTATIVE);
        }
        return t;
    }

    /** The scalar function on floats, in double; the result is rounded to the element type. */
    protected abstract double applyFloat(double a, double b);

    /** The scalar function on integers, in 64 bits; the result wraps to the element width. */
    protected abstract long applyInteger(long a, long b);

    @Override
    public final List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType a = NnTypes.tensor(operandTypes, 0);
        TensorType b = NnTypes.tensor(operandTypes, 1);
        NnTypes.requireSameElementType(a, b);
        NnTypes.requireArithmetic(a);
        return List.of(Broadcast.resultType(a, b));
    }

    @Override
    public final boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public final List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr a = operands.get(0);
        DenseElementsAttr b = operands.get(1);
        TensorType type = (TensorType) inferResultTypes(List.of(a.type(), b.type()), Map.of()).get(0);
        long[] shape = type.shapeArray();
        int[] ia = Broadcast.map(a.type().shapeArray(), shape);
        int[] ib = Broadcast.map(b.type().shapeArray(), shape);
        ScalarType et = type.elementType();
        if (et.isFloat()) {
            double[] out = new double[ia.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = applyFloat(a.getDouble(ia[i]), b.getDouble(ib[i]));
            }
            return List.of(NnTypes.floats(et, shape, out));
        }
        long[] out = new long[ia.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = applyInteger(a.getLong(ia[i]), b.getLong(ib[i]));
        }
        return List.of(NnTypes.integers(et, shape, out));
    }

    /**
     * Folds to the operand opposite {@code side} when the constant at {@code side} is a splat
     * whose element is exactly {@code floatIdentity} (bitwise, so -0.0 differs from 0.0) or
     * {@code intIdentity}, and the kept operand already has the result type (no broadcasting).
     */
    static List<FoldResult> keepOther(Operation op, List<Attribute> constants, int side, double floatIdentity,
            long intIdentity) {
        if (constants.size() != 2 || !(constants.get(side) instanceof DenseElementsAttr c) || !c.isSplat()) {
            return null;
        }
        boolean identity = c.elementType().isFloat()
                ? Double.doubleToRawLongBits(c.getDouble(0)) == Double.doubleToRawLongBits(floatIdentity)
                : c.getLong(0) == intIdentity;
        Value kept = op.operand(1 - side);
        return identity && kept.type() == op.result().type() ? List.of(FoldResult.existing(kept)) : null;
    }

    /** {@link #keepOther} tried with the constant on the right, then on the left. */
    static List<FoldResult> keepEither(Operation op, List<Attribute> constants, double floatIdentity,
            long intIdentity) {
        List<FoldResult> r = keepOther(op, constants, 1, floatIdentity, intIdentity);
        return r != null ? r : keepOther(op, constants, 0, floatIdentity, intIdentity);
    }
}
