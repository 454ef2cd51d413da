package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
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
 * {@code nn.mel_weight_matrix}: ONNX MelWeightMatrix, the {@code [dft_length/2 + 1, num_mel_bins]}
 * matrix of triangular filters that maps a one-sided spectrum to mel bands.
 *
 * <p>As ONNX's reference and ONNX Runtime compute it: {@code num_mel_bins + 2} points evenly
 * spaced in mel ({@code 2595·log10(1 + hz/700)}) from {@code lower_edge_hertz}, step
 * {@code (mel(upper) - mel(lower)) / (num_mel_bins + 2)}, converted back to hertz and to the bin
 * {@code floor((dft_length + 1)·hz / sample_rate)}; filter {@code i} rises linearly from point
 * {@code i} to {@code i+1} (a 1 at the center when they coincide) and falls to point {@code i+2}.
 * In double, rounded once to {@code element_type} (default f32; any number type).
 *
 * <p>Static form {@code ()}: attributes {@code num_mel_bins}, {@code dft_length},
 * {@code sample_rate} (ints), {@code lower_edge_hertz}, {@code upper_edge_hertz} (f32). Dynamic
 * form {@code (num_mel_bins, dft_length, sample_rate, lower_edge_hertz, upper_edge_hertz)}: five
 * one-element tensors (integers, then floats) read at run time; result {@code tensor<?x?xT>}.
 */
public final class MelWeightMatrixOp extends AbstractOpDefinition {

    public static final String NAME = "nn.mel_weight_matrix";

    private static final List<String> INTS = List.of("num_mel_bins", "dft_length", "sample_rate");
    private static final List<String> FLOATS = List.of("lower_edge_hertz", "upper_edge_hertz");

    public MelWeightMatrixOp() {
        super(NAME, "triangular mel filters over the bins of a one-sided spectrum",
                new OpSchema(0, 5, 1, 0, List.of(AttrSpec.optional("num_mel_bins", IntegerAttr.class),
                        AttrSpec.optional("dft_length", IntegerAttr.class), AttrSpec.optional("sample_rate", IntegerAttr.class),
                        AttrSpec.optional("lower_edge_hertz", FloatAttr.class),
                        AttrSpec.optional("upper_edge_hertz", FloatAttr.class),
                        AttrSpec.optional("element_type", TypeAttr.class)), false),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        ScalarType et = WindowOp.elementType(attributes);
        if (operandTypes.size() == 5) {
            for (int i = 0; i < 5; i++) {
                TensorType t = NnTypes.tensor(operandTypes, i);
                boolean kindOk = i < 3 ? t.elementType().isInteger() && t.elementType() != ScalarType.I1
                        : t.elementType().isFloat();
                if (!kindOk || t.hasStaticShape() && t.numElements() != 1) {
                    throw new InvalidOpException("expects " + (i < 3 ? INTS.get(i) + " as one integer" : FLOATS.get(i - 3)
                            + " as one float") + ", found " + t.text());
                }
            }
            return List.of(TensorType.of(et, TensorType.DYNAMIC, TensorType.DYNAMIC));
        }
        if (!operandTypes.isEmpty()) {
            throw new InvalidOpException("expects no operands (static form) or 5 (dynamic form), found "
                    + operandTypes.size());
        }
        for (String name : INTS) {
            if (!(attributes.get(name) instanceof IntegerAttr i) || i.value() < 1) {
                throw new InvalidOpException("expects attribute '" + name + "' >= 1, found "
                        + (attributes.containsKey(name) ? attributes.get(name).text() : "none"));
            }
        }
        return List.of(TensorType.of(et, ReductionMath.integer(attributes, "dft_length", 0) / 2 + 1,
                ReductionMath.integer(attributes, "num_mel_bins", 0)));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        Map<String, Attribute> a = op.attributes();
        boolean dynamic = operands.size() == 5;
        long mels = dynamic ? operands.get(0).getLong(0) : ReductionMath.integer(a, "num_mel_bins", 0);
        long dft = dynamic ? operands.get(1).getLong(0) : ReductionMath.integer(a, "dft_length", 0);
        long rate = dynamic ? operands.get(2).getLong(0) : ReductionMath.integer(a, "sample_rate", 0);
        double lower = dynamic ? operands.get(3).getDouble(0) : ReductionMath.real(a, "lower_edge_hertz", 0);
        double upper = dynamic ? operands.get(4).getDouble(0) : ReductionMath.real(a, "upper_edge_hertz", 0);
        if (mels < 1 || dft < 1 || rate < 1) {
            throw new InvalidOpException("expects num_mel_bins, dft_length and sample_rate >= 1, found " + mels + ", "
                    + dft + " and " + rate);
        }
        int bins = (int) (dft / 2 + 1);
        int m = (int) mels;
        int[] points = points(m, dft, rate, lower, upper);
        double[] out = new double[bins * m];
        for (int i = 0; i < m; i++) {
            int left = points[i];
            int center = points[i + 1];
            int right = points[i + 2];
            if (center == left) {
                set(out, bins, m, center, i, 1);
            } else {
                for (int j = left; j <= center; j++) {
                    set(out, bins, m, j, i, (double) (j - left) / (center - left));
                }
            }
            for (int j = center; j < right; j++) {
                set(out, bins, m, j, i, (double) (right - j) / (right - center));
            }
        }
        return List.of(NnTypes.floats(WindowOp.elementType(a), new long[] {bins, m}, out));
    }

    /**
     * The {@code mels + 2} filter edges as spectrum bins: evenly spaced in mel from
     * {@code lower} to {@code upper}, back to hertz, {@code floor((dft + 1)·hz / rate)}. Shared
     * with the CPU lowering, which takes them as compile-time values of its constant operands.
     */
    public static int[] points(int mels, long dft, long rate, double lower, double upper) {
        double low = 2595 * Math.log10(1 + lower / 700);
        double step = (2595 * Math.log10(1 + upper / 700) - low) / (mels + 2);
        int[] points = new int[mels + 2];
        for (int i = 0; i < points.length; i++) {
            double hz = 700 * (Math.pow(10, (i * step + low) / 2595) - 1);
            points[i] = (int) Math.floor((dft + 1) * hz / rate);
        }
        return points;
    }

    /** Rows outside the spectrum (an upper edge above the Nyquist frequency) are dropped. */
    private static void set(double[] out, int bins, int m, int row, int column, double v) {
        if (row >= 0 && row < bins) {
            out[row * m + column] = v;
        }
    }
}
