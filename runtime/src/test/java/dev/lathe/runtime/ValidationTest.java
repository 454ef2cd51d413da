package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad calls fail with messages saying what was expected; dynamic dims specialize per shape. */
class ValidationTest {

    private static CompiledModel dynamic() {
        return Lathe.compile(TestModels.parse(TestModels.dense("tensor<?x4xf32>", 1f)), Options.defaults().withCacheDir(null));
    }

    private static String message(CompiledModel m, Map<String, Tensor> in) {
        return assertThrows(IllegalArgumentException.class, () -> m.run(in)).getMessage();
    }

    @Test
    void wrongDtypeRankOrDimSaysWhatWasExpected() {
        try (CompiledModel m = dynamic()) {
            assertEquals("input 'x': expected f32 [?, 4], got i64 [2, 4]", message(m, Map.of("x", Tensor.of(new long[8], 2, 4))));
            assertEquals("input 'x': expected f32 [?, 4], got f32 [2, 5]", message(m, Map.of("x", Tensor.of(new float[10], 2, 5))));
            assertEquals("input 'x': expected f32 [?, 4], got f32 [8]", message(m, Map.of("x", Tensor.of(new float[8], 8))));
        }
    }

    @Test
    void missingOrUnknownInputsAreNamed() {
        try (CompiledModel m = dynamic()) {
            assertEquals("missing input 'x': expected f32 [?, 4]", message(m, Map.of()));
            assertEquals("unknown input 'y'; the model's inputs are [x: f32 [?, 4]]",
                    message(m, Map.of("x", Tensor.of(new float[8], 2, 4), "y", Tensor.of(new float[1], 1))));
        }
    }

    @Test
    void tensorFactoriesCheckTheirShape() {
        assertEquals("shape [2, 3] holds 6 elements, got 5 values",
                assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3)).getMessage());
        Tensor t = Tensor.of(new int[] {1, -2, 3}, 3);
        assertEquals(DType.INT32, t.dtype());
        assertArrayEquals(new long[] {1, -2, 3}, t.toLongArray());
        assertEquals(0, t.segment().address() % 64, "64-byte aligned");
    }

    @Test
    void eachNewShapeIsOneMoreSpecialization() {
        try (CompiledModel m = dynamic()) {
            assertEquals(0, m.compileReports().size(), "dynamic dims compile on the first call");
            float[] two = m.run(Map.of("x", Tensor.of(TestModels.ramp(8, 0.1f), 2, 4))).get("result0").toFloatArray();
            float[] five = m.run(Map.of("x", Tensor.of(TestModels.ramp(20, 0.1f), 5, 4))).get("result0").toFloatArray();
            m.run(Map.of("x", Tensor.of(TestModels.ramp(8, 0.1f), 2, 4)));
            assertEquals(2, m.compileReports().size());
            assertEquals(List.of(List.of(2L, 4L)), m.compileReports().get(0).inputShapes());
            assertEquals(6, two.length);
            assertEquals(15, five.length);
        }
    }

    @Test
    void runAfterCloseFails() {
        CompiledModel m = dynamic();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.run(Map.of("x", Tensor.of(new float[8], 2, 4))));
    }
}
