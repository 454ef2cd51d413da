package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The elementwise functions of one tensor ({@code nn.abs}, {@code nn.exp}, {@code nn.leaky_relu},
 * {@code nn.is_nan}, ...): one definition per row of {@link UnaryFunction}, which gives the
 * name, the element kinds, the float attributes with their defaults and the scalar function.
 *
 * <p>{@code %1 = "nn.leaky_relu"(%0) {alpha = 0.1 : f32} : (tensor<2x?xf32>) -> tensor<2x?xf32>}
 *
 * <p>The result has the operand's type, except {@code nn.is_nan} and {@code nn.is_inf}, whose
 * result is i1 of the operand's shape. Floats are computed in double with the attribute values
 * (f32 as ONNX gives them) and rounded once to the element type. Folds: {@code f(f(x))} to the
 * inner op for idempotent functions ({@code abs ceil floor round sign}) and to {@code x} for
 * involutions ({@code neg not}); both are exact for every input.
 */
public final class UnaryMathOp extends AbstractOpDefinition {

    private final UnaryFunction fn;

    UnaryMathOp(UnaryFunction fn) {
        super(fn.opName, fn.summary, schema(fn), Set.of(Trait.PURE, Trait.ELEMENTWISE));
        this.fn = fn;
    }

    /** One definition per function of the table. */
    static List<OpDefinition> all() {
        return Arrays.stream(UnaryFunction.values()).map(f -> (OpDefinition) new UnaryMathOp(f)).toList();
    }

    private static OpSchema schema(UnaryFunction fn) {
        AttrSpec[] specs = fn.params.stream()
                .map(p -> AttrSpec.optional(p.name(), p.isBool() ? BoolAttr.class : FloatAttr.class))
                .toArray(AttrSpec[]::new);
        return OpSchema.of(1, specs);
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ElementKinds.require(x, fn.kinds, "");
        params(attributes);
        return List.of(fn.isPredicate() ? TensorType.of(ScalarType.I1, x.shapeArray()) : x);
    }

    /** The attribute values in table order, defaults filled in, booleans as 0 or 1. */
    private double[] params(Map<String, Attribute> attributes) {
        double[] values = new double[fn.params.size()];
        for (int i = 0; i < values.length; i++) {
            UnaryFunction.Param p = fn.params.get(i);
            values[i] = p.isBool()
                    ? (NnTypes.bool(attributes, p.name(), p.defaultValue() != 0) ? 1 : 0)
                    : ElementKinds.floatAttr(attributes, p.name(), p.defaultValue());
        }
        return values;
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        if (fn.fold == UnaryFunction.Fold.NONE || !(op.operand(0) instanceof OpResult inner)
                || !inner.owner().isA(name())) {
            return null;
        }
        if (fn.fold == UnaryFunction.Fold.IDEMPOTENT) {
            return inner.type() == op.result().type() ? List.of(FoldResult.existing(inner)) : null;
        }
        var x = inner.owner().operand(0);
        return x.type() == op.result().type() ? List.of(FoldResult.existing(x)) : null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        TensorType type = (TensorType) inferResultTypes(List.of(x.type()), op.attributes()).get(0);
        double[] p = params(op.attributes());
        ScalarType in = x.elementType();
        long[] shape = x.type().shapeArray();
        int n = IndexMath.count(shape);
        if (in.isFloat() && !fn.isPredicate()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = fn.floatFn.apply(x.getDouble(i), p);
            }
            return List.of(NnTypes.floats(in, shape, out));
        }
        long[] out = new long[n];
        boolean unsigned = in.isUnsigned();
        for (int i = 0; i < n; i++) {
            out[i] = fn.intFn != null && !in.isFloat()
                    ? fn.intFn.apply(x.getLong(i), unsigned)
                    : (long) fn.floatFn.apply(x.getDouble(i), p);
        }
        return List.of(NnTypes.integers(type.elementType(), shape, out));
    }
}
