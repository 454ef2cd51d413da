package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.ResizeOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code Resize} (opsets 10-19) and {@code Upsample} (7-9) as {@code nn.resize}.
 *
 * <ul>
 *   <li>Upsample and Resize-10: {@code scales} (attribute in Upsample-7, input after), modes
 *       {@code nearest} and {@code linear} ({@code bilinear} accepted), coordinates
 *       {@code asymmetric}, nearest index {@code floor} (ONNX's reference Upsample repeats
 *       elements).</li>
 *   <li>Resize 11 on: inputs {@code roi} (used only by {@code tf_crop_and_resize}), {@code scales},
 *       {@code sizes}, an empty tensor meaning absent; attributes copied (enums lower-case as
 *       ONNX spells them), {@code axes} and {@code keep_aspect_ratio_policy} (18).</li>
 * </ul>
 *
 * Values known at import time become attributes (exact result type); otherwise the dynamic form
 * {@code nn.resize(%x[, %roi], %target)}. {@code antialias = 1} is not converted.
 */
final class ResizeConverter implements OnnxOpConverter {

    private final boolean upsample;

    ResizeConverter(boolean upsample) {
        this.upsample = upsample;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new TreeMap<>();
        String mode = node.stringOr("mode", "nearest").toLowerCase(Locale.ROOT);
        attrs.put("mode", new StringAttr(mode.equals("bilinear") || mode.equals("trilinear") ? "linear" : mode));
        Value roi = null;
        Value scales;
        Value sizes = null;
        if (upsample || node.opset() < 11) {
            attrs.put("coordinate_transformation_mode", new StringAttr("asymmetric"));
            attrs.put("nearest_mode", new StringAttr("floor"));
            if (upsample && node.opset() < 9) {
                float[] s = node.floats("scales");
                if (s == null) {
                    throw node.error("requires attribute 'scales' in opset " + node.opset());
                }
                double[] d = new double[s.length];
                for (int i = 0; i < s.length; i++) {
                    d[i] = s[i];
                }
                attrs.put("scales", f32s(d));
                return List.of(ctx.builder().create(ResizeOp.NAME, List.of(node.input(0)), attrs));
            }
            scales = node.input(1);
        } else {
            if (node.intOr("antialias", 0) != 0) {
                throw node.unsupported("antialias = 1");
            }
            String transform = node.stringOr("coordinate_transformation_mode", "half_pixel");
            attrs.put("coordinate_transformation_mode", new StringAttr(transform));
            attrs.put("nearest_mode", new StringAttr(node.stringOr("nearest_mode", "round_prefer_floor")));
            attrs.put("cubic_coeff_a", new FloatAttr(node.floatOr("cubic_coeff_a", -0.75f), ScalarType.F32));
            if (node.intOr("exclude_outside", 0) != 0) {
                attrs.put("exclude_outside", BoolAttr.TRUE);
            }
            attrs.put("extrapolation_value", new FloatAttr(node.floatOr("extrapolation_value", 0f), ScalarType.F32));
            long[] axes = node.ints("axes");
            if (axes != null) {
                attrs.put("axes", ArrayAttr.ofLongs(axes));
            }
            attrs.put("keep_aspect_ratio_policy", new StringAttr(node.stringOr("keep_aspect_ratio_policy", "stretch")));
            roi = transform.equals("tf_crop_and_resize") ? present(node, 1) : null;
            scales = present(node, 2);
            sizes = present(node, 3);
        }
        if ((scales == null) == (sizes == null)) {
            throw node.error("expects exactly one of scales and sizes, found " + (scales == null ? "neither" : "both"));
        }
        Value target = scales != null ? scales : sizes;
        DenseElementsAttr targetValue = ctx.constantValue(target);
        DenseElementsAttr roiValue = roi == null ? null : ctx.constantValue(roi);
        if (roiValue != null) {
            attrs.put("roi", f32s(roiValue.toDoubles()));
        }
        List<Value> operands = new ArrayList<>(List.of(node.input(0)));
        if (targetValue != null && (roi == null || roiValue != null)) {
            attrs.put(scales != null ? "scales" : "sizes",
                    scales != null ? f32s(targetValue.toDoubles()) : ArrayAttr.ofLongs(targetValue.toLongs()));
        } else {
            if (roi != null && roiValue == null) {
                attrs.remove("roi");
                operands.add(roi);
            }
            operands.add(target);
        }
        return List.of(ctx.builder().create(ResizeOp.NAME, operands, attrs));
    }

    /** Input {@code i} when given and not an empty tensor. */
    private static Value present(OnnxNode node, int i) {
        if (!node.hasInput(i)) {
            return null;
        }
        TensorType t = node.inputType(i);
        return t.rank() == 1 && t.dim(0) == 0 ? null : node.input(i);
    }

    private static ArrayAttr f32s(double... values) {
        Attribute[] out = new Attribute[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new FloatAttr(values[i], ScalarType.F32);
        }
        return new ArrayAttr(List.of(out));
    }
}
