package dev.lathe.frontend.onnx;

import dev.lathe.ir.Value;
import java.util.List;

/**
 * Turns one ONNX node into {@code nn} ops. One small class per ONNX op (or per family of ops
 * with the same shape, such as Add/Sub/Mul/Div), registered by op type in
 * {@link dev.lathe.frontend.onnx.converters.BuiltinConverters}.
 *
 * <p>A converter normalizes opset differences itself, so that each ONNX op becomes one
 * {@code nn} form whatever the opset ({@link OnnxNode#opset()} tells which is in effect). It
 * creates ops through {@link ConversionContext#builder()}, which places them, locates them at
 * the node and infers their result types; it reports problems with {@link OnnxNode#error} or,
 * for a form it cannot express, {@link OnnxNode#unsupported}.
 */
@FunctionalInterface
public interface OnnxOpConverter {

    /**
     * The values of the node's outputs, in order. Trailing outputs the node does not ask for
     * ({@code ""} or not listed) may be left out, and an entry may be null only for an output
     * named {@code ""}.
     */
    List<Value> convert(OnnxNode node, ConversionContext ctx);
}
