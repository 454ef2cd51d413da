package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.grid_sample}: samples {@code x [N, C, D1..Dk]} at the normalized coordinates of
 * {@code grid [N, O1..Ok, k]} (ONNX GridSample; the last grid axis lists coordinates innermost
 * dim first, {@code (x, y)} for images, each in {@code [-1, 1]}); result {@code [N, C, O1..Ok]}.
 *
 * <p>Attributes: {@code mode} ({@code "linear"} default, {@code "nearest"}, {@code "cubic"} with
 * a = -0.75), {@code padding_mode} ({@code "zeros"} default, {@code "border"}, {@code "reflection"}),
 * {@code align_corners} (bool: -1 and 1 are the centres of the corner elements rather than their
 * outer edges). Nearest rounds half to even (half away from zero for 3 spatial dims, as PyTorch
 * and ONNX's reference do). Floats; computed in double and rounded once.
 *
 * <p>{@code %y = "nn.grid_sample"(%x, %g) : (tensor<1x1x4x4xf32>, tensor<1x6x6x2xf32>) -> tensor<1x1x6x6xf32>}
 */
public final class GridSampleOp extends AbstractOpDefinition {

    public static final String NAME = "nn.grid_sample";

    public GridSampleOp() {
        super(NAME, "samples a tensor at normalized grid coordinates (ONNX GridSample)",
                OpSchema.of(2, AttrSpec.optional("mode", StringAttr.class), AttrSpec.optional("padding_mode", StringAttr.class),
                        AttrSpec.optional("align_corners", BoolAttr.class)),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType grid = NnTypes.tensor(operandTypes, 1);
        ConvAttrs.requireFloat(x, "an input");
        ConvAttrs.requireFloat(grid, "a grid");
        ConvAttrs.requireMinRank(x, 3, "an input [N, C, spatial...]");
        ConvAttrs.requireRank(grid, x.rank(), "a grid [N, out..., " + (x.rank() - 2) + "]");
        if (ConvAttrs.differ(grid.dim(grid.rank() - 1), x.rank() - 2) || ConvAttrs.differ(grid.dim(0), x.dim(0))) {
            throw new InvalidOpException("expects a grid [" + x.dim(0) + ", out..., " + (x.rank() - 2) + "], found "
                    + grid.text());
        }
        ConvAttrs.choice(attributes, "mode", "linear", Set.of("linear", "nearest", "cubic"));
        ConvAttrs.choice(attributes, "padding_mode", "zeros", Set.of("zeros", "border", "reflection"));
        long[] out = Arrays.copyOfRange(grid.shapeArray(), 1, grid.rank() - 1);
        return List.of(NnTypes.type(x.elementType(), WindowGeometry.withSpatial(x.dim(0), x.dim(1), out)));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr grid = operands.get(1);
        TensorType result = (TensorType) inferResultTypes(List.of(x.type(), grid.type()), op.attributes()).get(0);
        String mode = ConvAttrs.choice(op.attributes(), "mode", "linear", Set.of("linear", "nearest", "cubic"));
        String padding = ConvAttrs.choice(op.attributes(), "padding_mode", "zeros", Set.of("zeros", "border", "reflection"));
        boolean align = NnTypes.bool(op.attributes(), "align_corners", false);
        long[] dims = WindowGeometry.spatial(x.type().shapeArray());
        int k = dims.length;
        int batch = (int) x.type().dim(0);
        int channels = (int) x.type().dim(1);
        int inSize = IndexMath.count(dims);
        int outSize = IndexMath.count(WindowGeometry.spatial(result.shapeArray()));
        long[] inStrides = IndexMath.strides(dims);
        double[] xv = x.toDoubles();
        double[] gv = grid.toDoubles();
        double[] out = new double[IndexMath.count(result.shapeArray())];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outSize; o++) {
                int[][] idx = new int[k][];
                double[][] w = new double[k][];
                for (int d = 0; d < k; d++) {
                    double g = gv[(n * outSize + o) * k + (k - 1 - d)];
                    double min = align ? 0 : -0.5;
                    double max = align ? dims[d] - 1 : dims[d] - 0.5;
                    double c = Quantization.f32(align ? (g + 1) / 2 * (dims[d] - 1) : ((g + 1) * dims[d] - 1) / 2);
                    if (mode.equals("nearest")) {
                        c = k == 3 ? Math.signum(c) * Math.floor(Math.abs(c) + 0.5) : Math.rint(c);
                    }
                    if (c < min || c > max) {
                        c = padding.equals("border") ? Math.max(0, Math.min(dims[d] - 1, c))
                                : padding.equals("reflection") ? reflect(c, min, max) : c;
                    }
                    taps(mode, padding, c, dims[d], min, max, d, idx, w);
                }
                for (int ch = 0; ch < channels; ch++) {
                    int base = (n * channels + ch) * inSize;
                    out[(n * channels + ch) * outSize + o] = sample(xv, base, inStrides, idx, w, 0, 0);
                }
            }
        }
        return List.of(NnTypes.floats(x.elementType(), result.shapeArray(), out));
    }

    /** Sum over the corner combinations of dims {@code d..}, at flat offset {@code offset}. */
    private static double sample(double[] x, int base, long[] strides, int[][] idx, double[][] w, int d, long offset) {
        if (d == idx.length) {
            return x[(int) (base + offset)];
        }
        double sum = 0;
        for (int t = 0; t < idx[d].length; t++) {
            if (idx[d][t] >= 0 && w[d][t] != 0) {
                sum += w[d][t] * sample(x, base, strides, idx, w, d + 1, offset + idx[d][t] * strides[d]);
            }
        }
        return sum;
    }

    private static void taps(String mode, String padding, double c, long size, double min, double max, int d,
            int[][] idx, double[][] w) {
        long first;
        double[] weights;
        if (mode.equals("nearest")) {
            first = (long) c;
            weights = new double[] {1};
        } else {
            first = (long) Math.floor(c);
            double r = c - first;
            weights = mode.equals("linear") ? new double[] {1 - r, r} : ResizeKernel.cubic(r, -0.75);
            first = mode.equals("linear") ? first : first - 1;
        }
        idx[d] = new int[weights.length];
        w[d] = weights;
        for (int t = 0; t < weights.length; t++) {
            long i = first + t;
            idx[d][t] = (int) switch (padding) {
                case "zeros" -> i >= 0 && i < size ? i : -1;
                case "border" -> Math.max(0, Math.min(size - 1, i));
                default -> (long) reflect(i, min, max);
            };
        }
    }

    /** Reflects {@code v} at the borders until it lies in {@code [min, max]}. */
    static double reflect(double v, double min, double max) {
        double range = max - min;
        if (v < min) {
            double dv = min - v;
            long n = (long) (dv / range);
            double r = dv - n * range;
            return n % 2 == 0 ? min + r : max - r;
        }
        if (v > max) {
            double dv = v - max;
            long n = (long) (dv / range);
            double r = dv - n * range;
            return n % 2 == 0 ? max - r : min + r;
        }
        return v;
    }
}
