package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.ScalarType.Kind;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Elementwise reductions across one or more tensors, all broadcast together as numpy does
 * ({@code nn.max}, {@code nn.min}, {@code nn.sum}, {@code nn.mean}; ONNX {@code Max}, ...).
 * One definition per row of {@link Kind}.
 *
 * <p>{@code %3 = "nn.max"(%0, %1, %2) : (tensor<3xf32>, tensor<1xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>}
 *
 * <p>All operands have one element type: {@code max}/{@code min} take floats and integers
 * (unsigned compared as unsigned), {@code sum}/{@code mean} floats, as ONNX. Floats: max/min
 * propagate NaN (numpy {@code maximum}) and order {@code -0.0 < 0.0}; sum and mean add in
 * double in operand order from {@code -0.0} (so one operand is returned exactly) and round once
 * (mean after dividing by the count). Folds: one operand of the result type is the result.
 */
public final class VariadicElementwiseOp extends AbstractOpDefinition {

    public static final String MAX = "nn.max";
    public static final String MIN = "nn.min";
    public static final String SUM = "nn.sum";
    public static final String MEAN = "nn.mean";

    /** The table: name, accepted element kinds. */
    enum Function {
        MAX(VariadicElementwiseOp.MAX, ElementKinds.NUMERIC),
        MIN(VariadicElementwiseOp.MIN, ElementKinds.NUMERIC),
        SUM(VariadicElementwiseOp.SUM, ElementKinds.FLOATS),
        MEAN(VariadicElementwiseOp.MEAN, ElementKinds.FLOATS);

        final String opName;
        final Set<Kind> kinds;

        Function(String opName, Set<Kind> kinds) {
            this.opName = opName;
            this.kinds = kinds;
        }
    }

    private final Function fn;

    VariadicElementwiseOp(Function fn) {
        super(fn.opName, "elementwise " + fn.opName.substring(3) + " of one or more tensors, numpy broadcasting",
                OpSchema.of(1).withOperands(1, OpSchema.VARIADIC),
                Set.of(Trait.PURE, Trait.ELEMENTWISE, Trait.BROADCASTING, Trait.COMMUTATIVE));
        this.fn = fn;
    }

    static List<OpDefinition> all() {
        return Arrays.stream(Function.values()).map(f -> (OpDefinition) new VariadicElementwiseOp(f)).toList();
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        List<TensorType> types = ElementKinds.sameElementType(operandTypes, 0, operandTypes.size());
        ElementKinds.require(types.get(0), fn.kinds, "");
        return List.of(ElementKinds.broadcast(types, types.get(0).elementType()));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        if (op.numOperands() == 1 && op.operand(0).type() == op.result().type()) {
            return List.of(FoldResult.existing(op.operand(0)));
        }
        return null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        inferResultTypes(operands.stream().map(v -> (Type) v.type()).toList(), op.attributes());
        long[] shape = ElementKinds.shape(operands);
        int[][] maps = ElementKinds.maps(operands, shape);
        ScalarType et = operands.get(0).elementType();
        int n = maps[0].length;
        if (et.isFloat()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double acc = fn == Function.MAX || fn == Function.MIN ? operands.get(0).getDouble(maps[0][i]) : -0.0;
                for (int k = fn == Function.MAX || fn == Function.MIN ? 1 : 0; k < maps.length; k++) {
                    double v = operands.get(k).getDouble(maps[k][i]);
                    acc = switch (fn) {
                        case MAX -> Math.max(acc, v);
                        case MIN -> Math.min(acc, v);
                        case SUM, MEAN -> acc + v;
                    };
                }
                out[i] = fn == Function.MEAN ? acc / maps.length : acc;
            }
            return List.of(NnTypes.floats(et, shape, out));
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long acc = operands.get(0).getLong(maps[0][i]);
            for (int k = 1; k < maps.length; k++) {
                long v = operands.get(k).getLong(maps[k][i]);
                int c = ElementKinds.compareIntegers(v, acc, et);
                acc = (fn == Function.MAX ? c > 0 : c < 0) ? v : acc;
            }
            out[i] = acc;
        }
        return List.of(NnTypes.integers(et, shape, out));
    }
}
