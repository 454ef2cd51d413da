package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.Numbers;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.Map;

/**
 * Linear quantization arithmetic shared by the quantize, dequantize and quantized conv/matmul ops:
 * the range of a quantized type, saturation, round-half-to-even, and per-tensor or per-axis
 * parameters (a scale or zero point of one element applies to the whole tensor, a 1-D one of
 * {@code dim(axis)} elements to each slice along {@code axis}).
 */
final class Quantization {

    private Quantization() {}

    /** For each element of {@code x}, the index of its scale and of its zero point. */
    record ParameterIndex(int[] scale, int[] zeroPoint) {

        static ParameterIndex of(DenseElementsAttr x, DenseElementsAttr scale, DenseElementsAttr zero,
                Map<String, Attribute> attributes) {
            long axis = ConvAttrs.integer(attributes, "axis", 1);
            long[] shape = x.type().shapeArray();
            return new ParameterIndex(
                    parameterIndex(shape, axis(x.type(), scale.type(), axis, "a scale"), scale.numElements()),
                    parameterIndex(shape, axis(x.type(), zero.type(), axis, "a zero point"), zero.numElements()));
        }
    }

    /** The integer types a quantized value may have. */
    static void requireQuantized(TensorType t, String role) {
        ScalarType e = t.elementType();
        if (e.isFloat() || e == ScalarType.I1 || e.byteSize() > 4 || e == ScalarType.INDEX) {
            throw new InvalidOpException("expects " + role + " of an 8-, 16- or 32-bit integer type, found " + t.text());
        }
    }

    static long min(ScalarType t) {
        return t.isUnsigned() ? 0 : -(1L << (8 * t.byteSize() - 1));
    }

    static long max(ScalarType t) {
        return t.isUnsigned() ? (1L << (8 * t.byteSize())) - 1 : (1L << (8 * t.byteSize() - 1)) - 1;
    }

    /** {@code round-half-to-even(v)} clamped to the range of {@code t}; NaN becomes 0. */
    static long saturate(double v, ScalarType t) {
        if (Double.isNaN(v)) {
            return 0;
        }
        double r = Math.rint(v);
        return (long) Math.max(min(t), Math.min(max(t), r));
    }

    /** Checks that {@code p} is per-tensor or per-axis for {@code x}; returns the normalized axis. */
    static int axis(TensorType x, TensorType p, long axis, String role) {
        int rank = x.rank();
        if (p.rank() == 0 || p.rank() == 1 && p.dim(0) == 1) {
            return 0;
        }
        if (axis < -rank || axis >= rank) {
            throw new InvalidOpException("axis " + axis + " is out of range for " + x.text());
        }
        int a = (int) (axis < 0 ? axis + rank : axis);
        if (p.rank() != 1 || ConvAttrs.differ(p.dim(0), x.dim(a))) {
            throw new InvalidOpException("expects " + role + " of one element or [" + x.dim(a) + "] (per axis " + a
                    + " of " + x.text() + "), found " + p.text());
        }
        return a;
    }

    /** For each element of {@code shape}, the index of its per-axis parameter (0 when per-tensor). */
    static int[] parameterIndex(long[] shape, int axis, long parameterCount) {
        int n = IndexMath.count(shape);
        int[] out = new int[n];
        if (parameterCount <= 1) {
            return out;
        }
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        for (int i = 0; i < n; i++) {
            out[i] = (int) ((i / inner) % shape[axis]);
        }
        return out;
    }

    /** {@code a * b} rounded to f32 (ONNX computes scale products in float32). */
    static double f32(double v) {
        return Numbers.roundTo(v, ScalarType.F32);
    }
}
