package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
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
 * {@code nn.mod}: the remainder of {@code a / b} elementwise, numpy broadcasting (ONNX
 * {@code Mod}). Attribute {@code fmod} (bool, default false).
 *
 * <p>{@code %2 = "nn.mod"(%0, %1) {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>}
 *
 * <p>{@code fmod = true}: C {@code fmod}, the sign of the dividend ({@code -7 mod 2 = -1}), on
 * floats and integers; exact, so floats need no rounding. {@code fmod = false}: integers only
 * (as ONNX requires), the sign of the divisor as in Python ({@code -7 mod 2 = 1},
 * {@code 7 mod -2 = -1}). Unsigned integers are unsigned (both modes agree). Integer modulo by
 * zero is undefined in ONNX: the reference throws {@code ArithmeticException}, like {@code nn.div}.
 */
public final class ModOp extends AbstractOpDefinition {

    public static final String NAME = "nn.mod";

    public ModOp() {
        super(NAME, "remainder of a / b (fmod: sign of a; else sign of b), numpy broadcasting",
                OpSchema.of(2, AttrSpec.optional("fmod", BoolAttr.class)),
                Set.of(Trait.PURE, Trait.ELEMENTWISE, Trait.BROADCASTING));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        List<TensorType> types = ElementKinds.sameElementType(operandTypes, 0, 2);
        ElementKinds.require(types.get(0), ElementKinds.NUMERIC, "");
        if (types.get(0).elementType().isFloat() && !NnTypes.bool(attributes, "fmod", false)) {
            throw new InvalidOpException("expects fmod = true for float elements (" + types.get(0).text()
                    + "), found fmod = false");
        }
        return List.of(ElementKinds.broadcast(types, types.get(0).elementType()));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        inferResultTypes(List.of(operands.get(0).type(), operands.get(1).type()), op.attributes());
        boolean fmod = NnTypes.bool(op.attributes(), "fmod", false);
        DenseElementsAttr a = operands.get(0);
        DenseElementsAttr b = operands.get(1);
        long[] shape = ElementKinds.shape(operands);
        int[][] maps = ElementKinds.maps(operands, shape);
        ScalarType et = a.elementType();
        int n = maps[0].length;
        if (et.isFloat()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = a.getDouble(maps[0][i]) % b.getDouble(maps[1][i]);
            }
            return List.of(NnTypes.floats(et, shape, out));
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long x = a.getLong(maps[0][i]);
            long y = b.getLong(maps[1][i]);
            if (y == 0) {
                throw new ArithmeticException("'" + NAME + "': integer modulo by zero (" + x + " mod 0)");
            }
            if (et.isUnsigned()) {
                out[i] = Long.remainderUnsigned(x, y);
            } else {
                out[i] = fmod ? x % y : Math.floorMod(x, y);
            }
        }
        return List.of(NnTypes.integers(et, shape, out));
    }
}
