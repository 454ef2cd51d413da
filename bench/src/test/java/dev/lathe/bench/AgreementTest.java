package dev.lathe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgreementTest {

    static DenseElementsAttr f32(double... v) {
        return DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, v.length), v);
    }

    @Test
    void withinBoundAgrees() {
        Agreement.Result r = Agreement.DEFAULT.compare(Map.of("y", f32(1, 100, 0)), Map.of("y", f32(1.0009, 100.09, 9e-5)));
        assertTrue(r.agrees(), r.problems().toString());
        assertEquals(0.09, r.maxAbsError(), 1e-5);
        assertTrue(r.worstFractionOfBound() < 1);
        assertTrue(r.summary(Agreement.DEFAULT).startsWith("outputs agree"));
    }

    @Test
    void outOfBoundNaNMissingAndShapeDisagree() {
        assertFalse(Agreement.DEFAULT.compare(Map.of("y", f32(1, 2)), Map.of("y", f32(1, 2.01))).agrees());
        assertFalse(Agreement.DEFAULT.compare(Map.of("y", f32(1)), Map.of("y", f32(Double.NaN))).agrees());
        assertTrue(Agreement.DEFAULT.compare(Map.of("y", f32(Double.NaN)), Map.of("y", f32(Double.NaN))).agrees());
        assertFalse(Agreement.DEFAULT.compare(Map.of("y", f32(1)), Map.of("z", f32(1))).agrees());
        Agreement.Result shape = Agreement.DEFAULT.compare(Map.of("y", f32(1, 2)), Map.of("y", f32(1)));
        assertFalse(shape.agrees());
        assertTrue(shape.summary(Agreement.DEFAULT).startsWith("outputs DISAGREE"));
    }
}
