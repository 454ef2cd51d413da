package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.type.TensorType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The window attributes of ONNX Conv, ConvTranspose, the pools and their integer forms, as the nn
 * ops spell them: {@code strides}, {@code dilations}, {@code pads} copied when present,
 * {@code auto_pad} lower-cased ({@code NOTSET} dropped), {@code group} when not 1, and
 * {@code kernel_shape} checked against the weights where the op has them.
 */
final class WindowAttrs {

    private WindowAttrs() {}

    static Map<String, Attribute> of(OnnxNode node, String... names) {
        Map<String, Attribute> attrs = new TreeMap<>();
        for (String name : names) {
            long[] v = node.ints(name);
            if (v != null && v.length > 0) {
                attrs.put(name, ArrayAttr.ofLongs(v));
            }
        }
        String autoPad = node.stringOr("auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET", "" -> { }
            case "SAME_UPPER", "SAME_LOWER", "VALID" -> {
                attrs.put("auto_pad", new StringAttr(autoPad.toLowerCase(Locale.ROOT)));
                attrs.remove("pads");
            }
            default -> throw node.error("auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, found " + autoPad);
        }
        return attrs;
    }

    /** Adds {@code group} and checks ONNX's optional {@code kernel_shape} against the weights' spatial dims. */
    static Map<String, Attribute> withWeights(OnnxNode node, Map<String, Attribute> attrs, TensorType w) {
        long group = node.intOr("group", 1);
        if (group != 1) {
            attrs.put("group", IntegerAttr.of(group));
        }
        long[] kernel = node.ints("kernel_shape");
        if (kernel != null && w.rank() >= 2) {
            long[] actual = Arrays.copyOfRange(w.shapeArray(), 2, w.rank());
            boolean ok = kernel.length == actual.length;
            for (int i = 0; ok && i < kernel.length; i++) {
                ok = actual[i] == TensorType.DYNAMIC || actual[i] == kernel[i];
            }
            if (!ok) {
                throw node.error("kernel_shape " + Arrays.toString(kernel) + " differs from the weights' spatial dims "
                        + w.text());
            }
        }
        return attrs;
    }
}
