package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
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
 * {@code nn.conv_transpose}: grouped N-D transposed convolution (ONNX ConvTranspose), the
 * gradient of {@code nn.conv}: every input element scatters {@code x * w} into the output at
 * {@code i * stride - pad_begin + k * dilation}. Operands {@code x [N, C, in...]},
 * {@code w [C, M/group, k...]}, optional {@code bias [M]}; result {@code [N, M, out...]}.
 *
 * <p>Attributes (optional): {@code strides}, {@code dilations}, {@code pads}, {@code group},
 * {@code output_padding} (added at the end of each spatial dim), {@code output_shape} (spatial
 * sizes; the pads are then derived from it), {@code auto_pad} ({@code "same_upper"},
 * {@code "same_lower"}: output {@code in * stride}). With {@code output_shape} or {@code auto_pad},
 * the total padding {@code stride*(in-1) + output_padding + (k-1)*dilation + 1 - out} is split
 * with the odd unit at the end for {@code same_upper}, at the beginning otherwise (ONNX's rule);
 * an output larger than that computes gets no padding and extra positions at the end (ONNX
 * leaves this open; ONNX Runtime and the ONNX tests do so).
 * Otherwise {@code out = stride*(in-1) + output_padding + (k-1)*dilation + 1 - pad_begin - pad_end}.
 *
 * <p>{@code %y = "nn.conv_transpose"(%x, %w) {strides = [2, 2]} : (tensor<1x1x3x3xf32>,
 * tensor<1x2x3x3xf32>) -> tensor<1x2x7x7xf32>}
 */
public final class ConvTransposeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.conv_transpose";

    public ConvTransposeOp() {
        super(NAME, "grouped N-D transposed convolution (ONNX ConvTranspose)",
                OpSchema.of(2, AttrSpec.optional("strides", ArrayAttr.class), AttrSpec.optional("dilations", ArrayAttr.class),
                        AttrSpec.optional("pads", ArrayAttr.class), AttrSpec.optional("auto_pad", StringAttr.class),
                        AttrSpec.optional("group", IntegerAttr.class), AttrSpec.optional("output_padding", ArrayAttr.class),
                        AttrSpec.optional("output_shape", ArrayAttr.class)).withOperands(2, 3),
                Set.of(Trait.PURE));
    }

    /** Geometry with {@code input} = this op's input sizes and {@code output} = its output sizes. */
    static WindowGeometry geometry(TensorType x, TensorType w, Map<String, Attribute> attributes) {
        ConvAttrs.requireMinRank(x, 3, "an input [N, C, spatial...]");
        ConvAttrs.requireRank(w, x.rank(), "weights [C, M/group, kernel...] of the input's rank");
        long group = ConvAttrs.integer(attributes, "group", 1);
        if (group < 1 || ConvAttrs.differ(x.dim(1), w.dim(0))) {
            throw new InvalidOpException("expects input channels = weight dim 0, found " + x.text() + " and "
                    + w.text());
        }
        long[] in = WindowGeometry.spatial(x.shapeArray());
        long[] kernel = WindowGeometry.spatial(w.shapeArray());
        int n = in.length;
        long[] strides = ConvAttrs.perDim(attributes, "strides", n, 1);
        long[] dilations = ConvAttrs.perDim(attributes, "dilations", n, 1);
        long[] pads = ConvAttrs.perDim(attributes, "pads", 2 * n, 0);
        long[] outputPadding = ConvAttrs.perDim(attributes, "output_padding", n, 0);
        long[] outputShape = NnTypes.longs(attributes, "output_shape");
        String autoPad = ConvAttrs.choice(attributes, "auto_pad", "notset", WindowGeometry.AUTO_PADS);
        if (outputShape != null && outputShape.length != n) {
            throw new InvalidOpException("attribute 'output_shape' must have " + n + " entries, found "
                    + NnTypes.text(outputShape));
        }
        long[] begin = new long[n];
        long[] end = new long[n];
        long[] out = new long[n];
        for (int d = 0; d < n; d++) {
            if (in[d] == TensorType.DYNAMIC || kernel[d] == TensorType.DYNAMIC) {
                out[d] = outputShape != null ? outputShape[d] : TensorType.DYNAMIC;
                continue;
            }
            long full = strides[d] * (in[d] - 1) + outputPadding[d] + (kernel[d] - 1) * dilations[d] + 1;
            boolean same = autoPad.startsWith("same");
            if (outputShape != null || same) {
                out[d] = outputShape != null ? outputShape[d] : in[d] * strides[d];
                long total = Math.max(0, full - out[d]); // a larger output grows at the end, as ONNX Runtime does
                begin[d] = autoPad.equals("same_upper") ? total / 2 : total - total / 2;
                end[d] = total - begin[d];
            } else if (autoPad.equals("valid")) {
                out[d] = full;
            } else {
                begin[d] = pads[d];
                end[d] = pads[d + n];
                out[d] = full - begin[d] - end[d];
            }
            if (out[d] < 0) {
                throw new InvalidOpException("expects a non-negative output size, found " + out[d] + " in spatial dim " + d);
            }
        }
        return new WindowGeometry(in, kernel, strides, dilations, begin, end, out);
    }

    /**
     * The begin padding of each spatial dim (derived from {@code output_shape} or {@code auto_pad}
     * when given): output position {@code i * stride - pad_begin + k * dilation}. For lowerings.
     */
    public static long[] padsBegin(TensorType x, TensorType w, Map<String, Attribute> attributes) {
        return geometry(x, w, attributes).padsBegin();
    }

    private static long[] resultShape(TensorType x, TensorType w, Map<String, Attribute> attributes) {
        long group = ConvAttrs.integer(attributes, "group", 1);
        long m = w.dim(1) == TensorType.DYNAMIC ? TensorType.DYNAMIC : w.dim(1) * group;
        return WindowGeometry.withSpatial(x.dim(0), m, geometry(x, w, attributes).output());
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType w = NnTypes.tensor(operandTypes, 1);
        NnTypes.requireArithmetic(x);
        NnTypes.requireSameElementType(x, w);
        long[] shape = resultShape(x, w, attributes);
        if (operandTypes.size() > 2) {
            TensorType b = NnTypes.tensor(operandTypes, 2);
            NnTypes.requireSameElementType(x, b);
            if (b.rank() != 1 || ConvAttrs.differ(b.dim(0), shape[1])) {
                throw new InvalidOpException("expects a bias [" + shape[1] + "] (one per output channel), found "
                        + b.text());
            }
        }
        return List.of(NnTypes.type(x.elementType(), shape));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr w = operands.get(1);
        long[] shape = resultShape(x.type(), w.type(), op.attributes());
        WindowGeometry g = geometry(x.type(), w.type(), op.attributes());
        int group = (int) ConvAttrs.integer(op.attributes(), "group", 1);
        int[] taps = WindowGeometry.taps(g.input(), g.output(), g.kernel(), g.strides(), g.dilations(), g.padsBegin());
        long[] xs = x.type().shapeArray();
        int batch = (int) xs[0];
        int channels = (int) xs[1];
        int outChannels = (int) shape[1];
        int cg = channels / group;
        int mg = outChannels / group;
        int inSize = IndexMath.count(g.input());
        int outSize = IndexMath.count(g.output());
        int kSize = IndexMath.count(g.kernel());
        boolean isFloat = x.elementType().isFloat();
        double[] fx = isFloat ? x.toDoubles() : null;
        double[] fw = isFloat ? w.toDoubles() : null;
        long[] lx = isFloat ? null : x.toLongs();
        long[] lw = isFloat ? null : w.toLongs();
        int total = IndexMath.count(shape);
        double[] fy = new double[isFloat ? total : 0];
        long[] ly = new long[isFloat ? 0 : total];
        Arrays.fill(fy, -0.0); // the identity of +; outputs no tap reaches are an empty sum, +0.0, below
        boolean[] reached = new boolean[total];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int grp = c / cg;
                int xBase = (n * channels + c) * inSize;
                for (int mm = 0; mm < mg; mm++) {
                    int yBase = (n * outChannels + grp * mg + mm) * outSize;
                    int wBase = (c * mg + mm) * kSize;
                    for (int i = 0; i < inSize; i++) {
                        for (int k = 0; k < kSize; k++) {
                            int tap = taps[i * kSize + k];
                            if (tap < 0) {
                                continue;
                            }
                            reached[yBase + tap] = true;
                            if (isFloat) {
                                fy[yBase + tap] += fx[xBase + i] * fw[wBase + k];
                            } else {
                                ly[yBase + tap] += lx[xBase + i] * lw[wBase + k];
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < fy.length; i++) {
            fy[i] = reached[i] ? fy[i] : 0.0;
        }
        if (operands.size() > 2) {
            DenseElementsAttr b = operands.get(2);
            for (int i = 0; i < total; i++) {
                int m = (i / outSize) % outChannels;
                if (isFloat) {
                    fy[i] += b.getDouble(m);
                } else {
                    ly[i] += b.getLong(m);
                }
            }
        }
        return List.of(isFloat ? NnTypes.floats(x.elementType(), shape, fy) : NnTypes.integers(x.elementType(), shape, ly));
    }
}
