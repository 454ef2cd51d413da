package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
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
 * {@code nn.roi_align}: pools each region of interest to a fixed grid by bilinear sampling (ONNX
 * RoiAlign). Operands {@code x [N, C, H, W]} (float), {@code rois [R, 4]} ({@code x1, y1, x2, y2}
 * in input coordinates before {@code spatial_scale}, x's type), {@code batch_indices [R]} (i64);
 * result {@code [R, C, output_height, output_width]}.
 *
 * <p>Attributes: {@code mode} ({@code "avg"} default, {@code "max"}), {@code output_height},
 * {@code output_width} (default 1), {@code sampling_ratio} (samples per bin and axis; 0 =
 * {@code ceil(roi size / output size)}), {@code spatial_scale} (f32, default 1),
 * {@code coordinate_transformation_mode} ({@code "half_pixel"} default: shift by -0.5;
 * {@code "output_half_pixel"}: no shift, regions at least 1x1, ONNX opset 10's behaviour).
 * Samples beyond one pixel outside the input count as 0. {@code max} takes the largest weighted
 * corner {@code w * v} over the samples, as ONNX Runtime and ONNX's reference do.
 */
public final class RoiAlignOp extends AbstractOpDefinition {

    public static final String NAME = "nn.roi_align";

    public RoiAlignOp() {
        super(NAME, "bilinear region-of-interest pooling to a fixed grid (ONNX RoiAlign)",
                OpSchema.of(3, AttrSpec.optional("mode", StringAttr.class), AttrSpec.optional("output_height", IntegerAttr.class),
                        AttrSpec.optional("output_width", IntegerAttr.class), AttrSpec.optional("sampling_ratio", IntegerAttr.class),
                        AttrSpec.optional("spatial_scale", FloatAttr.class),
                        AttrSpec.optional("coordinate_transformation_mode", StringAttr.class)),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType rois = NnTypes.tensor(operandTypes, 1);
        TensorType batch = NnTypes.tensor(operandTypes, 2);
        ConvAttrs.requireFloat(x, "an input");
        ConvAttrs.requireRank(x, 4, "an input [N, C, H, W]");
        NnTypes.requireSameElementType(x, rois);
        if (rois.rank() != 2 || ConvAttrs.differ(rois.dim(1), 4) || batch.rank() != 1
                || batch.elementType() != ScalarType.I64 || ConvAttrs.differ(rois.dim(0), batch.dim(0))) {
            throw new InvalidOpException("expects rois [R, 4] and i64 batch_indices [R], found " + rois.text() + " and "
                    + batch.text());
        }
        ConvAttrs.choice(attributes, "mode", "avg", Set.of("avg", "max"));
        ConvAttrs.choice(attributes, "coordinate_transformation_mode", "half_pixel",
                Set.of("half_pixel", "output_half_pixel"));
        long r = rois.dim(0) != TensorType.DYNAMIC ? rois.dim(0) : batch.dim(0);
        return List.of(NnTypes.type(x.elementType(), new long[] {r, x.dim(1),
                ConvAttrs.integer(attributes, "output_height", 1), ConvAttrs.integer(attributes, "output_width", 1)}));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr rois = operands.get(1);
        DenseElementsAttr batch = operands.get(2);
        Map<String, Attribute> a = op.attributes();
        long[] shape = ((TensorType) inferResultTypes(List.of(x.type(), rois.type(), batch.type()), a).get(0)).shapeArray();
        boolean max = ConvAttrs.choice(a, "mode", "avg", Set.of("avg", "max")).equals("max");
        boolean halfPixel = ConvAttrs.choice(a, "coordinate_transformation_mode", "half_pixel",
                Set.of("half_pixel", "output_half_pixel")).equals("half_pixel");
        long ratio = ConvAttrs.integer(a, "sampling_ratio", 0);
        double scale = ConvAttrs.real(a, "spatial_scale", 1);
        int channels = (int) shape[1];
        int oh = (int) shape[2];
        int ow = (int) shape[3];
        int h = (int) x.type().dim(2);
        int w = (int) x.type().dim(3);
        double[] xv = x.toDoubles();
        double[] out = new double[IndexMath.count(shape)];
        double offset = halfPixel ? 0.5 : 0;
        for (int r = 0; r < shape[0]; r++) {
            long n = batch.getLong(r);
            if (n < 0 || n >= x.type().dim(0)) {
                throw new IllegalArgumentException("batch index " + n + " is out of range for " + x.type().text());
            }
            double sw = rois.getDouble(4L * r) * scale - offset;
            double sh = rois.getDouble(4L * r + 1) * scale - offset;
            double rw = rois.getDouble(4L * r + 2) * scale - offset - sw;
            double rh = rois.getDouble(4L * r + 3) * scale - offset - sh;
            if (!halfPixel) {
                rw = Math.max(rw, 1);
                rh = Math.max(rh, 1);
            }
            double bh = rh / oh;
            double bw = rw / ow;
            int gh = (int) (ratio > 0 ? ratio : Math.ceil(rh / oh));
            int gw = (int) (ratio > 0 ? ratio : Math.ceil(rw / ow));
            int count = Math.max(gh * gw, 1);
            for (int c = 0; c < channels; c++) {
                int base = (int) ((n * x.type().dim(1) + c) * h * w);
                for (int ph = 0; ph < oh; ph++) {
                    for (int pw = 0; pw < ow; pw++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        for (int iy = 0; iy < gh; iy++) {
                            double y = sh + ph * bh + (iy + 0.5) * bh / gh;
                            for (int ix = 0; ix < gw; ix++) {
                                double xx = sw + pw * bw + (ix + 0.5) * bw / gw;
                                acc = sample(xv, base, h, w, y, xx, acc, max);
                            }
                        }
                        out[((r * channels + c) * oh + ph) * ow + pw] = max ? (gh * gw == 0 ? 0 : acc) : acc / count;
                    }
                }
            }
        }
        return List.of(NnTypes.floats(x.elementType(), shape, out));
    }

    /** Adds (avg) or maxes in (max) the bilinear sample at {@code (y, x)}. */
    private static double sample(double[] v, int base, int h, int w, double y, double x, double acc, boolean max) {
        if (y < -1.0 || y > h || x < -1.0 || x > w) {
            return max ? Math.max(acc, 0) : acc;
        }
        y = Math.max(y, 0);
        x = Math.max(x, 0);
        int y0 = (int) y;
        int x0 = (int) x;
        int y1 = y0 + 1;
        int x1 = x0 + 1;
        if (y0 >= h - 1) {
            y0 = y1 = h - 1;
            y = y0;
        }
        if (x0 >= w - 1) {
            x0 = x1 = w - 1;
            x = x0;
        }
        double ly = y - y0;
        double lx = x - x0;
        double[] terms = {(1 - ly) * (1 - lx) * v[base + y0 * w + x0], (1 - ly) * lx * v[base + y0 * w + x1],
                ly * (1 - lx) * v[base + y1 * w + x0], ly * lx * v[base + y1 * w + x1]};
        if (max) {
            return Math.max(acc, Math.max(Math.max(terms[0], terms[1]), Math.max(terms[2], terms[3])));
        }
        return acc + terms[0] + terms[1] + terms[2] + terms[3];
    }
}
