package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.Map;

/**
 * Compares Lathe's outputs with ONNX Runtime's, element by element:
 * {@code |lathe - ort| <= atol + rtol * |ort|} (numpy's {@code allclose}, NaN never matches).
 */
record AllClose(double atol, double rtol) {

    /** What a comparison measured: the largest absolute error, and the largest error over its bound. */
    record Measured(double maxAbsError, double worstFractionOfBound) {

        Measured max(Measured other) {
            return new Measured(Math.max(maxAbsError, other.maxAbsError),
                    Math.max(worstFractionOfBound, other.worstFractionOfBound));
        }

        @Override
        public String toString() {
            return String.format("max |lathe - ort| = %.3g (%.0f%% of the tolerance at the worst element)",
                    maxAbsError, 100 * worstFractionOfBound);
        }
    }

    /** Every output of {@code expected} must be in {@code actual}, of the same type, and close. */
    Measured check(String what, Map<String, DenseElementsAttr> expected, Map<String, DenseElementsAttr> actual) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": output names");
        Measured measured = new Measured(0, 0);
        for (Map.Entry<String, DenseElementsAttr> e : expected.entrySet()) {
            measured = measured.max(check(what + " '" + e.getKey() + "'", e.getValue(), actual.get(e.getKey())));
        }
        return measured;
    }

    Measured check(String what, DenseElementsAttr expected, DenseElementsAttr actual) {
        assertNotNull(actual, what + ": no value");
        assertEquals(expected.type(), actual.type(), what + ": type");
        double maxError = 0;
        double worst = 0;
        for (long i = 0; i < expected.numElements(); i++) {
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            double error = Math.abs(a - e);
            double bound = atol + rtol * Math.abs(e);
            if (!(error <= bound)) {
                fail(String.format("%s: element %d: lathe %s, ort %s, |difference| %.3g > %.3g (atol %.3g + rtol %.3g * |ort|)",
                        what, i, a, e, error, bound, atol, rtol));
            }
            maxError = Math.max(maxError, error);
            worst = Math.max(worst, error / bound);
        }
        return new Measured(maxError, worst);
    }
}
