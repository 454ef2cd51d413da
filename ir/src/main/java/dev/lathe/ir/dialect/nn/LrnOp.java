package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.lrn}: ONNX LRN, local response normalization across channels (dim 1) of
 * {@code x [N, C, d...]}. Attributes {@code size} (integer >= 1, required), {@code alpha} (f32,
 * default 1e-4), {@code beta} (f32, default 0.75), {@code bias} (f32, default 1.0):
 * {@code y = x / (bias + alpha / size * square_sum) ^ beta}, where {@code square_sum} adds
 * {@code x^2} over channels {@code c - floor((size-1)/2) .. c + ceil((size-1)/2)} that exist.
 * Float element types; the result type is the operand type.
 *
 * <p>{@code %y = "nn.lrn"(%x) {size = 3, alpha = 2.0e-04 : f32} : (tensor<1x5x2x2xf32>) -> tensor<1x5x2x2xf32>}
 */
public final class LrnOp extends AbstractOpDefinition {

    public static final String NAME = "nn.lrn";

    public LrnOp() {
        super(NAME, "divides each element by a power of the sum of squares of neighbouring channels",
                OpSchema.of(1, AttrSpec.required("size", IntegerAttr.class), AttrSpec.optional("alpha", FloatAttr.class),
                        AttrSpec.optional("beta", FloatAttr.class), AttrSpec.optional("bias", FloatAttr.class)),
                Set.of(Trait.PURE));
    }

    private static long size(Map<String, Attribute> attributes) {
        long size = ReductionMath.integer(attributes, "size", 0);
        if (size < 1) {
            throw new InvalidOpException("expects size >= 1, found " + size);
        }
        return size;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "an operand");
        if (x.rank() < 2) {
            throw new InvalidOpException("expects an operand of rank >= 2 ([N, C, d...]), found " + x.text());
        }
        size(attributes);
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
        long size = size(op.attributes());
        double alpha = ReductionMath.real(op.attributes(), "alpha", 1e-4);
        double beta = ReductionMath.real(op.attributes(), "beta", 0.75);
        double bias = ReductionMath.real(op.attributes(), "bias", 1.0);
        long channels = shape[1];
        long inner = IndexMath.count(shape) / Math.max(1, shape[0] * channels);
        long before = (size - 1) / 2;
        long after = size - 1 - before;
        double[] y = new double[(int) x.numElements()];
        for (int i = 0; i < y.length; i++) {
            long c = i / inner % channels;
            long base = i - c * inner;
            double squares = 0;
            for (long k = Math.max(0, c - before); k <= Math.min(channels - 1, c + after); k++) {
                double v = x.getDouble(base + k * inner);
                squares += v * v;
            }
            y[i] = x.getDouble(i) / Math.pow(bias + alpha / size * squares, beta);
        }
        return List.of(NnTypes.floats(x.elementType(), shape, y));
    }
}
