package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
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
 * {@code nn.resize}: resamples a tensor (ONNX Resize, and Upsample). The target is either
 * {@code scales} (f32 per axis; result size {@code floor(in * scale)}) or {@code sizes} (i64 per
 * axis; with {@code keep_aspect_ratio_policy} {@code "not_larger"}/{@code "not_smaller"} one scale,
 * the min/max of {@code size/in}, applies to every axis listed and sizes are
 * {@code round_half_up(scale * in)}). Both list the dims of {@code axes} (default: all).
 *
 * <p>Static form: {@code nn.resize(%x) {scales = [...]}} or {@code {sizes = [...]}}, result type
 * exact. Dynamic form: {@code nn.resize(%x, %target)} or {@code nn.resize(%x, %roi, %target)}
 * where {@code %target} is a 1-D float (scales) or i64 (sizes) tensor read at run time and
 * {@code %roi} f32 the crop box; the resized dims are then {@code ?}.
 *
 * <p>Attributes: {@code mode} ({@code "nearest"} default, {@code "linear"}, {@code "cubic"});
 * {@code coordinate_transformation_mode} ({@code "half_pixel"} default, {@code "half_pixel_symmetric"},
 * {@code "pytorch_half_pixel"}, {@code "align_corners"}, {@code "asymmetric"},
 * {@code "tf_half_pixel_for_nn"}, {@code "tf_crop_and_resize"}); {@code nearest_mode}
 * ({@code "round_prefer_floor"} default, {@code "round_prefer_ceil"}, {@code "floor"},
 * {@code "ceil"}); {@code cubic_coeff_a} (f32, -0.75); {@code exclude_outside} (bool);
 * {@code extrapolation_value} (f32, 0; crop-and-resize samples outside the input);
 * {@code roi} (f32 array {@code [starts..., ends...]} over {@code axes}, default 0..1).
 * Linear and cubic sample clamp indices to the edge. Float element types; nearest also any type.
 * Antialiasing (ONNX opset 18 {@code antialias = 1}) is not part of nn.resize.
 *
 * <p>{@code %y = "nn.resize"(%x) {mode = "linear", scales = [1.0 : f32, 1.0 : f32, 2.0 : f32, 2.0 : f32]} :
 * (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>}
 */
public final class ResizeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.resize";

    private static final Set<String> MODES = Set.of("nearest", "linear", "cubic");
    private static final Set<String> TRANSFORMS = Set.of("half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
            "align_corners", "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize");
    private static final Set<String> NEAREST = Set.of("round_prefer_floor", "round_prefer_ceil", "floor", "ceil");
    private static final Set<String> POLICIES = Set.of("stretch", "not_larger", "not_smaller");

    public ResizeOp() {
        super(NAME, "resamples a tensor by scales or to sizes: nearest, linear or cubic (ONNX Resize)",
                OpSchema.of(1, AttrSpec.optional("mode", StringAttr.class),
                        AttrSpec.optional("coordinate_transformation_mode", StringAttr.class),
                        AttrSpec.optional("nearest_mode", StringAttr.class), AttrSpec.optional("cubic_coeff_a", FloatAttr.class),
                        AttrSpec.optional("exclude_outside", BoolAttr.class),
                        AttrSpec.optional("extrapolation_value", FloatAttr.class), AttrSpec.optional("scales", ArrayAttr.class),
                        AttrSpec.optional("sizes", ArrayAttr.class), AttrSpec.optional("roi", ArrayAttr.class),
                        AttrSpec.optional("axes", ArrayAttr.class),
                        AttrSpec.optional("keep_aspect_ratio_policy", StringAttr.class)).withOperands(1, 3),
                Set.of(Trait.PURE));
    }

    static ResizeKernel.Settings settings(Map<String, Attribute> a) {
        return new ResizeKernel.Settings(ConvAttrs.choice(a, "mode", "nearest", MODES),
                ConvAttrs.choice(a, "coordinate_transformation_mode", "half_pixel", TRANSFORMS),
                ConvAttrs.choice(a, "nearest_mode", "round_prefer_floor", NEAREST),
                ConvAttrs.real(a, "cubic_coeff_a", -0.75), NnTypes.bool(a, "exclude_outside", false),
                ConvAttrs.real(a, "extrapolation_value", 0));
    }

    /** The checked {@code axes}, normalized, default all. */
    private static int[] axes(Map<String, Attribute> a, int rank) {
        long[] raw = NnTypes.longs(a, "axes");
        int[] out = new int[raw == null ? rank : raw.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < out.length; i++) {
            long v = raw == null ? i : raw[i];
            if (v < -rank || v >= rank || seen[(int) (v < 0 ? v + rank : v)]) {
                throw new InvalidOpException("axes " + NnTypes.text(raw) + " must be distinct dims of rank " + rank);
            }
            out[i] = (int) (v < 0 ? v + rank : v);
            seen[out[i]] = true;
        }
        return out;
    }

    /** Per dim: the result size and the scale of the coordinate transform. */
    private record Target(long[] sizes, double[] scales) {}

    private static Target target(long[] in, int[] axes, double[] scales, long[] sizes, String policy) {
        int rank = in.length;
        long[] out = in.clone();
        double[] sc = new double[rank];
        java.util.Arrays.fill(sc, 1);
        int n = scales != null ? scales.length : sizes.length;
        if (n != axes.length) {
            throw new InvalidOpException("expects " + axes.length + " " + (scales != null ? "scales" : "sizes")
                    + " (one per axis), found " + n);
        }
        double common = policy.equals("not_larger") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            int d = axes[i];
            if (scales != null) {
                if (!(scales[i] > 0)) {
                    throw new InvalidOpException("expects scales > 0, found " + scales[i]);
                }
                sc[d] = scales[i];
                out[d] = in[d] == TensorType.DYNAMIC ? in[d] : (long) Math.floor(in[d] * scales[i]);
            } else if (policy.equals("stretch")) {
                out[d] = sizes[i];
                sc[d] = in[d] > 0 ? sizes[i] / (double) in[d] : 1;
            } else if (in[d] != TensorType.DYNAMIC) {
                double s = sizes[i] / (double) in[d];
                common = policy.equals("not_larger") ? Math.min(common, s) : Math.max(common, s);
            }
        }
        if (sizes != null && !policy.equals("stretch")) {
            for (int d : axes) {
                out[d] = in[d] == TensorType.DYNAMIC ? in[d] : (long) Math.floor(common * in[d] + 0.5);
                sc[d] = common;
            }
        }
        return new Target(out, sc);
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ResizeKernel.Settings s = settings(attributes);
        if (!s.mode().equals("nearest")) {
            ConvAttrs.requireFloat(x, "an input (" + s.mode() + " mode)");
        }
        int[] axes = axes(attributes, x.rank());
        ConvAttrs.choice(attributes, "keep_aspect_ratio_policy", "stretch", POLICIES);
        long[] shape = x.shapeArray();
        if (operandTypes.size() > 1) {
            TensorType t = NnTypes.tensor(operandTypes, operandTypes.size() - 1);
            if (t.rank() != 1 || !t.elementType().isFloat() && t.elementType() != ScalarType.I64) {
                throw new InvalidOpException("expects a 1-D float (scales) or i64 (sizes) target operand, found " + t.text());
            }
            for (int d : axes) {
                shape[d] = TensorType.DYNAMIC;
            }
            return List.of(NnTypes.type(x.elementType(), shape));
        }
        double[] scales = ConvAttrs.reals(attributes, "scales");
        long[] sizes = NnTypes.longs(attributes, "sizes");
        if ((scales == null) == (sizes == null)) {
            throw new InvalidOpException("expects exactly one of 'scales' and 'sizes' (or a target operand), found "
                    + (scales == null ? "neither" : "both"));
        }
        String policy = ConvAttrs.choice(attributes, "keep_aspect_ratio_policy", "stretch", POLICIES);
        return List.of(NnTypes.type(x.elementType(), target(shape, axes, scales, sizes, policy).sizes()));
    }

    /**
     * Everything a compiled resize needs from the static form, computed as {@link #evaluate}
     * does: the settings, the resized {@code axes} (in attribute order), per dim the result size
     * and coordinate-transform scale, and per entry of {@code axes} the roi box (0..1 without roi).
     */
    public record Plan(String mode, String transform, String nearestMode, double cubicA, boolean excludeOutside,
            double extrapolation, int[] axes, long[] sizes, double[] scales, double[] roiStart, double[] roiEnd) {}

    /** The plan of a static-form resize of an input of shape {@code in} (all dims static). */
    public static Plan plan(Map<String, Attribute> a, long[] in) {
        int[] axes = axes(a, in.length);
        double[] roi = ConvAttrs.reals(a, "roi");
        if (roi != null && roi.length == 2 * in.length && axes.length < in.length) {
            roi = null; // as evaluate: a full-rank roi with axes is not an ONNX form
        }
        double[] starts = new double[axes.length];
        double[] ends = new double[axes.length];
        for (int i = 0; i < axes.length; i++) {
            starts[i] = roi == null ? 0 : roi[i];
            ends[i] = roi == null ? 1 : roi[i + axes.length];
        }
        Target t = target(in, axes, ConvAttrs.reals(a, "scales"), NnTypes.longs(a, "sizes"),
                ConvAttrs.choice(a, "keep_aspect_ratio_policy", "stretch", POLICIES));
        ResizeKernel.Settings s = settings(a);
        return new Plan(s.mode(), s.transform(), s.nearestMode(), s.cubicA(), s.excludeOutside(), s.extrapolation(), axes,
                t.sizes(), t.scales(), starts, ends);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        Map<String, Attribute> a = op.attributes();
        DenseElementsAttr x = operands.get(0);
        long[] shape = x.type().shapeArray();
        int[] axes = axes(a, shape.length);
        double[] scales = ConvAttrs.reals(a, "scales");
        long[] sizes = NnTypes.longs(a, "sizes");
        double[] roi = ConvAttrs.reals(a, "roi");
        if (operands.size() > 1) {
            DenseElementsAttr t = operands.get(operands.size() - 1);
            scales = t.elementType().isFloat() ? t.toDoubles() : null;
            sizes = t.elementType().isFloat() ? null : t.toLongs();
            roi = operands.size() > 2 ? operands.get(1).toDoubles() : roi;
        }
        if (roi != null && roi.length == 2 * shape.length && axes.length < shape.length) {
            roi = null; // a full-rank roi with axes: not an ONNX form; ignore rather than misread
        }
        Target target = target(shape, axes, scales, sizes,
                ConvAttrs.choice(a, "keep_aspect_ratio_policy", "stretch", POLICIES));
        ResizeKernel.Settings s = settings(a);
        double[] data = x.toDoubles();
        long[] current = shape.clone();
        for (int i = axes.length - 1; i >= 0; i--) {
            int d = axes[i];
            double start = roi == null ? 0 : roi[i];
            double end = roi == null ? 1 : roi[i + axes.length];
            data = ResizeKernel.alongAxis(data, current, d, target.sizes()[d], target.scales()[d], start, end, s);
            current[d] = target.sizes()[d];
        }
        return List.of(NnTypes.floats(x.elementType(), current, data));
    }
}
