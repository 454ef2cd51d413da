package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
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
 * {@code nn.cast}: each element converted to the element type {@code to} (a type attribute,
 * required), same shape (ONNX {@code Cast} and {@code CastLike}). Every pair of element types.
 *
 * <p>{@code %1 = "nn.cast"(%0) {to = i32} : (tensor<2x?xf32>) -> tensor<2x?xi32>}
 *
 * <p>Conversions:
 * <ul>
 *   <li>to a float: the value rounded to nearest even (unsigned read as unsigned, i1 as 0 or 1);
 *       integers pass through double first, which for i64/u64 beyond 2^53 may round twice. To
 *       bf16 too: ONNX 1.12's test data for Cast FLOAT to BFLOAT16 truncates instead, while ONNX
 *       1.14+ (its reference and regenerated data), ONNX Runtime and PyTorch round to nearest even;</li>
 *   <li>to i1: {@code x != 0} (NaN is true, as in C and numpy);</li>
 *   <li>float to integer: truncation toward zero as in C; out of range, which C and ONNX leave
 *       undefined, saturates to the type's range, and NaN gives 0 (as Java, and LLVM's
 *       {@code fptosi.sat});</li>
 *   <li>integer to integer: two's complement wrap to the width ({@code 300 -> u8 44},
 *       {@code -1 -> u32 4294967295}).</li>
 * </ul>
 * Folds a cast to the operand's own type to the operand.
 */
public final class CastOp extends AbstractOpDefinition {

    public static final String NAME = "nn.cast";

    private static final double TWO_63 = 0x1p63;
    private static final double TWO_64 = 0x1p64;

    public CastOp() {
        super(NAME, "elementwise conversion to the element type 'to'",
                OpSchema.of(1, AttrSpec.required("to", TypeAttr.class)), Set.of(Trait.PURE, Trait.ELEMENTWISE));
    }

    /** The {@code to} attribute as an element type. */
    static ScalarType target(Map<String, Attribute> attributes) {
        Attribute a = attributes.get("to");
        if (!(a instanceof TypeAttr t) || !(t.type() instanceof ScalarType s) || s == ScalarType.INDEX) {
            throw new InvalidOpException("expects 'to' to be a tensor element type, found "
                    + (a == null ? "none" : a.text()));
        }
        return s;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ElementKinds.require(x, ElementKinds.ANY, "");
        return List.of(TensorType.of(target(attributes), x.shapeArray()));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return op.operand(0).type() == op.result().type() ? List.of(FoldResult.existing(op.operand(0))) : null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        ScalarType from = x.elementType();
        ScalarType to = target(op.attributes());
        long[] shape = x.type().shapeArray();
        int n = IndexMath.count(shape);
        if (to.isFloat()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = x.getDouble(i);
            }
            return List.of(NnTypes.floats(to, shape, out));
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            if (!from.isFloat()) {
                out[i] = x.getLong(i);
            } else if (to == ScalarType.I1) {
                out[i] = x.getDouble(i) != 0 || Double.isNaN(x.getDouble(i)) ? 1 : 0;
            } else {
                out[i] = saturate(x.getDouble(i), to);
            }
        }
        return List.of(NnTypes.integers(to, shape, out));
    }

    /** {@code v} truncated toward zero and clamped to the range of integer type {@code to}; NaN is 0. */
    static long saturate(double v, ScalarType to) {
        if (Double.isNaN(v)) {
            return 0;
        }
        int bits = 8 * to.byteSize();
        if (to.isUnsigned()) {
            if (v <= 0) {
                return 0;
            }
            if (bits == 64) {
                return v >= TWO_64 ? -1L : v >= TWO_63 ? (long) (v - TWO_63) + Long.MIN_VALUE : (long) v;
            }
            return Math.min((long) v, (1L << bits) - 1);
        }
        long t = (long) v; // saturates to the i64 range
        if (bits == 64) {
            return t;
        }
        return Math.max(-(1L << (bits - 1)), Math.min(t, (1L << (bits - 1)) - 1));
    }
}
