package dev.lathe.cli.conformance;

import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.Arrays;

/**
 * Compares a result with an expected tensor the way ONNX's backend tests do
 * ({@code numpy.testing.assert_allclose}): floats agree when
 * {@code |actual - expected| <= atol + rtol * |expected|}, NaN only matches NaN and infinities
 * must be equal; integers and booleans must be equal; dtype and shape must be identical.
 */
public final class TensorComparison {

    /** ONNX's defaults: tight enough to catch a wrong formula, loose enough for float32 rounding. */
    public static final double DEFAULT_RTOL = 1e-3;
    public static final double DEFAULT_ATOL = 1e-7;

    private TensorComparison() {}

    /** Null when the tensors agree, else one line saying how they differ. */
    public static String mismatch(DenseElementsAttr expected, DenseElementsAttr actual, double rtol, double atol) {
        if (expected.elementType() != actual.elementType()) {
            return "expected element type " + expected.elementType() + ", got " + actual.elementType();
        }
        if (!expected.type().shape().equals(actual.type().shape())) {
            return "expected shape " + expected.type().shape() + ", got " + actual.type().shape();
        }
        long n = expected.numElements();
        long bad = 0;
        long first = -1;
        boolean isFloat = expected.elementType().isFloat();
        for (long i = 0; i < n; i++) {
            boolean ok = isFloat ? close(expected.getDouble(i), actual.getDouble(i), rtol, atol)
                    : expected.getLong(i) == actual.getLong(i);
            if (!ok) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad == 0) {
            return null;
        }
        String at = Arrays.toString(index(first, expected.type().shapeArray()));
        String e = isFloat ? Double.toString(expected.getDouble(first)) : Long.toString(expected.getLong(first));
        String a = isFloat ? Double.toString(actual.getDouble(first)) : Long.toString(actual.getLong(first));
        return bad + " of " + n + " elements differ" + (isFloat ? " beyond rtol " + rtol + ", atol " + atol : "")
                + "; first at " + at + ": expected " + e + ", got " + a;
    }

    static boolean close(double expected, double actual, double rtol, double atol) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual;
        }
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    private static long[] index(long flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return idx;
    }
}
