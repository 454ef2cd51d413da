package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.nn.AddOp;
import dev.lathe.ir.dialect.nn.MatmulOp;
import dev.lathe.ir.dialect.nn.MulOp;
import dev.lathe.ir.dialect.nn.TransposeOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code Gemm}, {@code Y = alpha * A' * B' + beta * C}, as {@code nn.matmul} with only the
 * ops its attributes call for: {@code nn.transpose} for {@code transA}/{@code transB},
 * {@code nn.mul} by a scalar for {@code alpha != 1} and {@code beta != 1}, {@code nn.add} when
 * there is a {@code C}. With {@code beta = 0}, {@code C} is ignored, as ONNX Runtime does (so
 * infinities in it do not turn into NaN). {@code C} must broadcast to {@code [M, N]}
 * (unidirectionally; opsets before 7 require {@code broadcast = 1} for that).
 */
final class GemmConverter implements OnnxOpConverter {

    private static final Map<String, Attribute> SWAP = Map.of("perm", ArrayAttr.ofLongs(1, 0));

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        TensorType ta = matrix(node, 0, "A");
        matrix(node, 1, "B");
        ScalarType element = ta.elementType();
        float alpha = node.floatOr("alpha", 1.0f);
        float beta = node.floatOr("beta", 1.0f);
        Value a = node.input(0);
        Value b = node.input(1);
        if (node.intOr("transA", 0) != 0) {
            a = ctx.builder().create(TransposeOp.NAME, List.of(a), SWAP);
        }
        if (node.intOr("transB", 0) != 0) {
            b = ctx.builder().create(TransposeOp.NAME, List.of(b), SWAP);
        }
        Value y = ctx.builder().create(MatmulOp.NAME, a, b);
        if (alpha != 1.0f) {
            y = ctx.builder().create(MulOp.NAME, y, scalar(node, ctx, element, alpha, "alpha"));
        }
        Value c = node.inputOrNull(2);
        if (c == null && node.opset() < 11) {
            throw node.error("input C is required before opset 11");
        }
        if (c == null || beta == 0.0f) {
            return List.of(y);
        }
        TensorType tc = node.inputType(2);
        TensorType ty = (TensorType) y.type();
        if (node.opset() < 7 && node.intOr("broadcast", 0) == 0 && tc.hasStaticShape() && ty.hasStaticShape()
                && !tc.shape().equals(ty.shape())) {
            throw node.error("C " + tc.text() + " differs from the product's shape " + ty.text() + ", which opset "
                    + node.opset() + " allows only with broadcast = 1");
        }
        if (beta != 1.0f) {
            c = ctx.builder().create(MulOp.NAME, c, scalar(node, ctx, element, beta, "beta"));
        }
        Value sum = ctx.builder().create(AddOp.NAME, y, c);
        if (!((TensorType) sum.type()).isCompatibleWith(ty)) {
            throw node.error("C " + tc.text() + " does not broadcast to the product's shape " + ty.text());
        }
        return List.of(sum);
    }

    private static TensorType matrix(OnnxNode node, int i, String name) {
        TensorType t = node.inputType(i);
        if (t.rank() != 2) {
            throw node.error("input " + name + " must be a matrix (2-D), found " + t.text());
        }
        return t;
    }

    private static Value scalar(OnnxNode node, ConversionContext ctx, ScalarType element, float v, String name) {
        if (!element.isFloat() && v != Math.rint(v)) {
            throw node.unsupported(name + " = " + v + " on integer elements (" + element.text() + ")");
        }
        return ctx.scalar(element, v);
    }
}
