package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.StftOp;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code STFT} (opset 17) onto {@code nn.stft}. {@code frame_length} is the input, or else the
 * window's (static) length. When {@code frame_step} and {@code frame_length} are known at import
 * time they become attributes (static form {@code (signal[, window])}); otherwise the dynamic form
 * {@code (signal, frame_step, frame_length[, window])}, with a constant for a length known from
 * the window. {@code onesided} (default 1) becomes a bool.
 */
final class StftConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value window = node.inputOrNull(2);
        Long windowLength = null;
        if (window != null && node.inputType(2).rank() == 1 && node.inputType(2).dim(0) != TensorType.DYNAMIC) {
            windowLength = node.inputType(2).dim(0);
        }
        long[] step = ctx.constantLongs(node.input(1));
        long[] length = node.hasInput(3) ? ctx.constantLongs(node.input(3)) : windowLength == null ? null
                : new long[] {windowLength};
        if (!node.hasInput(3) && windowLength == null) {
            throw node.unsupported("neither frame_length nor a window of static length");
        }
        if (step != null && step.length != 1 || length != null && length.length != 1) {
            throw node.error("frame_step and frame_length must be one integer each");
        }
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("onesided", BoolAttr.of(node.intOr("onesided", 1) != 0));
        List<Value> operands = new ArrayList<>(List.of(node.input(0)));
        if (step != null && length != null) {
            attrs.put("frame_step", IntegerAttr.of(step[0]));
            attrs.put("frame_length", IntegerAttr.of(length[0]));
        } else {
            operands.add(node.input(1));
            operands.add(node.hasInput(3) ? node.input(3) : ctx.longs(windowLength));
        }
        if (window != null) {
            operands.add(window);
        }
        return List.of(ctx.builder().create(StftOp.NAME, operands, attrs));
    }
}
