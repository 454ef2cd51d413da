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
 * {@code nn.range}: ONNX Range, {@code [start, start + delta, ...]} while below {@code limit}
 * (above, for a negative {@code delta}): {@code max(ceil((limit - start) / delta), 0)} elements,
 * element {@code i} being {@code start + i * delta} (computed in double and rounded once for
 * floats, in 64 bits and wrapped for integers). Three rank-0 operands of one arithmetic element
 * type; the result is {@code tensor<?xT>}. A {@code delta} of 0 is an error at run time. The
 * importer turns a Range of constants into an {@code nn.constant}, so this op only has the form
 * with operands; {@link #evaluate} reads only its operands (the importer calls it with no op).
 *
 * <p>{@code %3 = "nn.range"(%0, %1, %2) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>}
 */
public final class RangeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.range";

    public RangeOp() {
        super(NAME, "the arithmetic sequence start, start + delta, ... below limit", OpSchema.of(3), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType start = NnTypes.tensor(operandTypes, 0);
        NnTypes.requireArithmetic(start);
        for (int i = 0; i < 3; i++) {
            TensorType t = NnTypes.tensor(operandTypes, i);
            NnTypes.requireSameElementType(start, t);
            if (t.rank() != 0) {
                throw new InvalidOpException("expects scalar (rank-0) start, limit and delta, found " + t.text());
            }
        }
        return List.of(TensorType.of(start.elementType(), TensorType.DYNAMIC));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        ScalarType et = operands.get(0).elementType();
        if (et.isFloat()) {
            double start = operands.get(0).getDouble(0);
            double limit = operands.get(1).getDouble(0);
            double delta = operands.get(2).getDouble(0);
            if (delta == 0) {
                throw new IllegalArgumentException("delta is 0");
            }
            int n = (int) Math.max(Math.ceil((limit - start) / delta), 0);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = start + i * delta;
            }
            return List.of(NnTypes.floats(et, new long[] {n}, out));
        }
        long start = operands.get(0).getLong(0);
        long limit = operands.get(1).getLong(0);
        long delta = operands.get(2).getLong(0);
        if (delta == 0) {
            throw new IllegalArgumentException("delta is 0");
        }
        long span = limit - start;
        long n = span == 0 || (span > 0) != (delta > 0) ? 0 : (span + delta + (delta > 0 ? -1 : 1)) / delta;
        long[] out = new long[Math.toIntExact(n)];
        for (int i = 0; i < n; i++) {
            out[i] = start + i * delta;
        }
        return List.of(NnTypes.integers(et, new long[] {n}, out));
    }
}
