package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.relu}: {@code max(x, 0)} elementwise, on floats and integers (not i1). No attributes.
 *
 * <p>{@code %1 = "nn.relu"(%0) : (tensor<2x?xf32>) -> tensor<2x?xf32>}
 *
 * <p>Floats follow IEEE-754 {@code maximum} (LLVM's {@code llvm.maximum}): NaN stays NaN, and
 * {@code -0.0} becomes {@code +0.0} since {@code -0.0 < +0.0} there. ONNX's reference
 * {@code np.maximum(x, 0)} agrees on NaN; on the sign of zero numpy's answer depends on its build,
 * so Lathe fixes it. Folds {@code relu(relu(x))} to the inner relu.
 */
public final class ReluOp extends AbstractOpDefinition {

    public static final String NAME = "nn.relu";

    public ReluOp() {
        super(NAME, "elementwise max(x, 0); NaN stays NaN, -0.0 becomes 0.0",
                OpSchema.of(1),
                Set.of(Trait.PURE, Trait.ELEMENTWISE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        NnTypes.requireArithmetic(x);
        return List.of(x);
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        if (op.operand(0) instanceof OpResult inner && inner.owner().isA(NAME) && inner.type() == op.result().type()) {
            return List.of(FoldResult.existing(inner));
        }
        return null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        NnTypes.requireArithmetic(x.type());
        ScalarType et = x.elementType();
        long[] shape = x.type().shapeArray();
        int n = IndexMath.count(shape);
        if (et.isFloat()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double v = x.getDouble(i);
                out[i] = Double.isNaN(v) || v > 0 ? v : 0.0;
            }
            return List.of(NnTypes.floats(et, shape, out));
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(x.getLong(i), 0);
        }
        return List.of(NnTypes.integers(et, shape, out));
    }
}
