package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
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
 * {@code nn.prelu}: {@code x < 0 ? slope * x : x} elementwise (ONNX {@code PRelu}). The slope
 * broadcasts to {@code x} in one direction (numpy rules, the result has {@code x}'s shape).
 *
 * <p>{@code %2 = "nn.prelu"(%0, %1) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>}
 *
 * <p>Floats and integers of one element type (not i1); floats are computed in double and
 * rounded once, integers wrap; on unsigned integers the op is the identity. NaN stays NaN.
 */
public final class PReluOp extends AbstractOpDefinition {

    public static final String NAME = "nn.prelu";

    public PReluOp() {
        super(NAME, "x < 0 ? slope * x : x, slope broadcast to x", OpSchema.of(2),
                Set.of(Trait.PURE, Trait.ELEMENTWISE, Trait.BROADCASTING));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        List<TensorType> types = ElementKinds.sameElementType(operandTypes, 0, 2);
        TensorType x = types.get(0);
        ElementKinds.require(x, ElementKinds.NUMERIC, "");
        TensorType result = ElementKinds.broadcast(types, x.elementType());
        if (result.rank() != x.rank()) {
            throw new InvalidOpException("expects the slope to broadcast to x " + x.text() + ", found slope "
                    + types.get(1).text() + " of higher rank");
        }
        long[] shape = result.shapeArray();
        for (int d = 0; d < shape.length; d++) {
            if (!x.isDynamic(d) && shape[d] != x.dim(d)) {
                throw new InvalidOpException("expects the slope to broadcast to x " + x.text() + ", found slope "
                        + types.get(1).text() + " widening dim " + d + " to " + shape[d]);
            }
        }
        return List.of(x);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        inferResultTypes(List.of(operands.get(0).type(), operands.get(1).type()), op.attributes());
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr slope = operands.get(1);
        long[] shape = x.type().shapeArray();
        int[] map = Broadcast.map(slope.type().shapeArray(), shape);
        ScalarType et = x.elementType();
        int n = map.length;
        if (et.isFloat()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double v = x.getDouble(i);
                out[i] = v < 0 ? slope.getDouble(map[i]) * v : v;
            }
            return List.of(NnTypes.floats(et, shape, out));
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long v = x.getLong(i);
            out[i] = !et.isUnsigned() && v < 0 ? slope.getLong(map[i]) * v : v;
        }
        return List.of(NnTypes.integers(et, shape, out));
    }
}
