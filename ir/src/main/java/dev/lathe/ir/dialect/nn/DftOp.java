package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
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
 * {@code nn.dft}: ONNX DFT along one axis. {@code x} is {@code [..., 1]} (real) or {@code [..., 2]}
 * (complex: real, imaginary); the result is complex, {@code [..., 2]}, with dim {@code axis} of
 * size {@code n/2 + 1} when {@code onesided}, else {@code n}, where {@code n} is
 * {@code dft_length} (the signal zero-padded or truncated to it; default the dim's size).
 * {@code X[k] = Σ x[j]·e^(-2πi·jk/n)}; {@code inverse}: {@code e^(+...)} and divided by {@code n}.
 *
 * <p>Attributes {@code axis} (int, required; not the last dim, negatives from the end),
 * {@code inverse}, {@code onesided} (bools, default false), {@code dft_length} (int, static form,
 * optional). Dynamic form {@code (x, dft_length)}: one integer read at run time, dim
 * {@code axis} {@code ?}. ONNX calls one-sided output of a complex input impossible; Lathe
 * returns the first half of its full transform. Float types; direct summation in double.
 * {@code %y = "nn.dft"(%x) {axis = 1} : (tensor<1x10x1xf32>) -> tensor<1x10x2xf32>}
 */
public final class DftOp extends AbstractOpDefinition {

    public static final String NAME = "nn.dft";

    public DftOp() {
        super(NAME, "the discrete Fourier transform along one axis",
                new OpSchema(1, 2, 1, 0, List.of(AttrSpec.required("axis", IntegerAttr.class),
                        AttrSpec.optional("inverse", BoolAttr.class), AttrSpec.optional("onesided", BoolAttr.class),
                        AttrSpec.optional("dft_length", IntegerAttr.class)), false),
                Set.of(Trait.PURE));
    }

    private static int axis(Map<String, Attribute> a, int rank) {
        int axis = ReductionMath.axis(ReductionMath.integer(a, "axis", 1), rank, "axis");
        if (axis == rank - 1) {
            throw new InvalidOpException("expects an axis other than the last (real/imaginary) dim, found "
                    + ReductionMath.integer(a, "axis", 1));
        }
        return axis;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "x");
        Fourier.requireComplexDim(x, "x");
        int axis = axis(attributes, x.rank());
        long[] shape = x.shapeArray();
        long n = attributes.containsKey("dft_length") ? ReductionMath.integer(attributes, "dft_length", 0) : shape[axis];
        if (operandTypes.size() == 2) {
            TensorType length = NnTypes.tensor(operandTypes, 1);
            if (!length.elementType().isInteger() || length.hasStaticShape() && length.numElements() != 1) {
                throw new InvalidOpException("expects dft_length as one integer, found " + length.text());
            }
            if (attributes.containsKey("dft_length")) {
                throw new InvalidOpException("expects dft_length either as an operand or as an attribute, found both");
            }
            n = TensorType.DYNAMIC;
        } else if (n != TensorType.DYNAMIC && n < 1) {
            throw new InvalidOpException("expects dft_length >= 1, found " + n);
        }
        shape[axis] = Fourier.bins(n, NnTypes.bool(attributes, "onesided", false));
        shape[shape.length - 1] = 2;
        return List.of(TensorType.of(x.elementType(), shape));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        Map<String, Attribute> a = op.attributes();
        long[] shape = x.type().shapeArray();
        int axis = axis(a, shape.length);
        int n = (int) (operands.size() == 2 ? operands.get(1).getLong(0)
                : ReductionMath.integer(a, "dft_length", shape[axis]));
        if (n < 1) {
            throw new InvalidOpException("expects dft_length >= 1, found " + n);
        }
        boolean inverse = NnTypes.bool(a, "inverse", false);
        int bins = (int) Fourier.bins(n, NnTypes.bool(a, "onesided", false));
        boolean complex = shape[shape.length - 1] == 2;
        long[] outShape = shape.clone();
        outShape[axis] = bins;
        outShape[shape.length - 1] = 2;
        long[] inStrides = IndexMath.strides(shape);
        long[] outStrides = IndexMath.strides(outShape);
        // Iterate over every position with the axis (and the complex dim) at 0.
        long[] lineShape = shape.clone();
        lineShape[axis] = 1;
        lineShape[shape.length - 1] = 1;
        double[] out = new double[IndexMath.count(outShape)];
        long[] lineStrides = IndexMath.strides(lineShape);
        for (int line = 0; line < IndexMath.count(lineShape); line++) {
            long inBase = 0;
            long outBase = 0;
            for (int d = 0; d < shape.length; d++) {
                long i = line / lineStrides[d] % lineShape[d];
                inBase += i * inStrides[d];
                outBase += i * outStrides[d];
            }
            double[] re = new double[n];
            double[] im = new double[n];
            for (int j = 0; j < Math.min(n, shape[axis]); j++) {
                long at = inBase + j * inStrides[axis];
                re[j] = x.getDouble(at);
                im[j] = complex ? x.getDouble(at + 1) : 0;
            }
            double[][] y = Fourier.transform(re, im, inverse, bins);
            for (int k = 0; k < bins; k++) {
                long at = outBase + k * outStrides[axis];
                out[(int) at] = y[0][k];
                out[(int) at + 1] = y[1][k];
            }
        }
        return List.of(NnTypes.floats(x.elementType(), outShape, out));
    }
}
