package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
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
 * {@code nn.scatter_elements}: ONNX ScatterElements (and the older Scatter). A copy of
 * {@code data} where, for each element of {@code updates}, the element of {@code data} addressed
 * by its own coordinates with the one along {@code axis} replaced by the matching element of
 * {@code indices} is replaced by it ({@code reduction = "none"}, the default) or combined with
 * it ({@code "add"}, {@code "mul"}, {@code "max"}, {@code "min"}). {@code indices} (any integer
 * type) and {@code updates} have one shape and the rank of {@code data}; negatives count from the
 * end; out of range is an error at run time. Updates apply in row-major order, so with
 * {@code "none"} the last of duplicate indices wins (ONNX leaves this open). Float reductions are
 * computed in double and rounded once per element. Attribute {@code axis} (integer, default 0).
 * Any element type with {@code "none"}, arithmetic ones with a reduction.
 *
 * <p>{@code %3 = "nn.scatter_elements"(%0, %1, %2) {axis = 1, reduction = "add"} : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>}
 */
public final class ScatterElementsOp extends AbstractOpDefinition {

    public static final String NAME = "nn.scatter_elements";

    public ScatterElementsOp() {
        super(NAME, "writes (or combines) updates into a copy of data at per-element indices along one axis",
                OpSchema.of(3, AttrSpec.optional("axis", IntegerAttr.class), AttrSpec.optional("reduction", StringAttr.class)),
                Set.of(Trait.PURE));
    }

    static String reduction(Map<String, Attribute> attributes, TensorType data) {
        String r = ShapeSupport.choice(attributes, "reduction", "none", "add", "mul", "max", "min");
        if (!r.equals("none")) {
            NnTypes.requireArithmetic(data);
        }
        return r;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType data = NnTypes.tensor(operandTypes, 0);
        TensorType idx = GatherOp.indices(operandTypes, 1);
        TensorType updates = NnTypes.tensor(operandTypes, 2);
        NnTypes.requireSameElementType(data, updates);
        GatherElementsOp.checkedAxis(data, idx, attributes);
        if (!idx.withElementType(updates.elementType()).isCompatibleWith(updates)) {
            throw new InvalidOpException("expects updates of the shape of indices, found " + idx.text() + " and "
                    + updates.text());
        }
        reduction(attributes, data);
        return List.of(data);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr data = operands.get(0);
        DenseElementsAttr idx = operands.get(1);
        int axis = GatherElementsOp.checkedAxis(data.type(), idx.type(), op.attributes());
        int[] targets = GatherElementsOp.targets(data.type().shapeArray(), idx, axis);
        return List.of(scatter(data, targets, operands.get(2), reduction(op.attributes(), data.type())));
    }

    /**
     * {@code data} with element {@code updates[i]} written to (or combined into) flat position
     * {@code targets[i]}, for every {@code i} in order. Shared with {@code nn.scatter_nd}.
     */
    static DenseElementsAttr scatter(DenseElementsAttr data, int[] targets, DenseElementsAttr updates, String reduction) {
        ScalarType et = data.elementType();
        long[] shape = data.type().shapeArray();
        if (reduction.equals("none")) {
            int size = et.byteSize();
            byte[] out = data.toBytes();
            byte[] in = updates.toBytes();
            for (int i = 0; i < targets.length; i++) {
                System.arraycopy(in, i * size, out, targets[i] * size, size);
            }
            return ShapeSupport.fromBytes(et, shape, out);
        }
        if (et.isFloat()) {
            double[] out = data.toDoubles();
            for (int i = 0; i < targets.length; i++) {
                double a = out[targets[i]];
                double b = updates.getDouble(i);
                out[targets[i]] = switch (reduction) {
                    case "add" -> a + b;
                    case "mul" -> a * b;
                    case "max" -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
                    default -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
                };
            }
            return NnTypes.floats(et, shape, out);
        }
        long[] out = data.toLongs();
        boolean unsigned = et == ScalarType.U64;
        for (int i = 0; i < targets.length; i++) {
            long a = out[targets[i]];
            long b = updates.getLong(i);
            int cmp = unsigned ? Long.compareUnsigned(a, b) : Long.compare(a, b);
            out[targets[i]] = switch (reduction) {
                case "add" -> a + b;
                case "mul" -> a * b;
                case "max" -> cmp >= 0 ? a : b;
                default -> cmp <= 0 ? a : b;
            };
        }
        return NnTypes.integers(et, shape, out);
    }
}
