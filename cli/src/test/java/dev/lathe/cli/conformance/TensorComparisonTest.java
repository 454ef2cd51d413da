package dev.lathe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import org.junit.jupiter.api.Test;

class TensorComparisonTest {

    static DenseElementsAttr f32(double... v) {
        return DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, v.length), v);
    }

    @Test
    void floatsWithinRelativeToleranceAgree() {
        assertNull(TensorComparison.mismatch(f32(1000, 1), f32(1000.9, 1), 1e-3, 1e-7));
        String m = TensorComparison.mismatch(f32(1000, 1), f32(1001.5, 1), 1e-3, 1e-7);
        assertEquals("1 of 2 elements differ beyond rtol 0.001, atol 1.0E-7; first at [0]: expected 1000.0, got 1001.5", m);
    }

    @Test
    void nanMatchesOnlyNanAndInfinitiesMustBeEqual() {
        assertNull(TensorComparison.mismatch(f32(Double.NaN), f32(Double.NaN), 1e-3, 1e-7));
        assertTrue(TensorComparison.mismatch(f32(Double.NaN), f32(0), 1e-3, 1e-7).startsWith("1 of 1"));
        assertTrue(TensorComparison.mismatch(f32(Double.POSITIVE_INFINITY), f32(Double.NEGATIVE_INFINITY), 1e-3, 1e-7)
                .startsWith("1 of 1"));
    }

    @Test
    void integersMustBeExactAndShapesAndTypesMustMatch() {
        TensorType i = TensorType.of(ScalarType.I64, 2);
        assertTrue(TensorComparison.mismatch(DenseElementsAttr.fromLongs(i, 1, 2), DenseElementsAttr.fromLongs(i, 1, 3),
                1, 1).startsWith("1 of 2 elements differ; first at [1]: expected 2, got 3"));
        assertEquals("expected element type i64, got f32",
                TensorComparison.mismatch(DenseElementsAttr.fromLongs(i, 1, 2), f32(1, 2), 1e-3, 1e-7));
        assertEquals("expected shape [2], got [3]", TensorComparison.mismatch(f32(1, 2), f32(1, 2, 3), 1e-3, 1e-7));
    }
}
