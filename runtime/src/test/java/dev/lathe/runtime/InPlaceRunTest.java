package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The copy-free paths of {@link CompiledModel#run}: inputs read where the caller keeps them
 * (a wrapped segment, changed between calls), outputs in fresh tensors or written into the
 * caller's ({@code run(inputs, into)}), all equal to the plain call's results bit for bit.
 */
class InPlaceRunTest {

    private static CompiledModel dense() {
        return Lathe.compile(TestModels.parse(TestModels.dense("tensor<?x4xf32>", 1f)), Options.defaults().withCacheDir(null));
    }

    @Test
    void wrappedInputsAreReadWhereTheyAreOnEveryCall() {
        try (CompiledModel m = dense(); Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate(3 * 4 * 4, 64);
            Tensor wrapped = Tensor.wrap(DType.FLOAT32, x, 3, 4);
            for (int call = 0; call < 3; call++) {
                float[] values = new float[12];
                for (int i = 0; i < values.length; i++) {
                    values[i] = call + i * 0.25f - 1;
                }
                MemorySegment.copy(values, 0, x, ValueLayout.JAVA_FLOAT, 0, values.length);
                float[] viaCopy = m.run(Map.of("x", Tensor.of(values, 3, 4))).get("result0").toFloatArray();
                Map<String, Tensor> out = m.run(Map.of("x", wrapped));
                assertArrayEquals(viaCopy, out.get("result0").toFloatArray(), "call " + call);
                assertArrayEquals(new long[] {3, 3}, out.get("result0").shape());
            }
        }
    }

    @Test
    void runIntoWritesTheCallersOutputs() {
        try (CompiledModel m = dense()) {
            Map<String, Tensor> in = Map.of("x", Tensor.of(new float[] {1, 2, 3, 4, -1, -2, -3, -4}, 2, 4));
            Map<String, Tensor> fresh = m.run(in);
            Tensor y = Tensor.allocate(DType.FLOAT32, 2, 3);
            Map<String, Tensor> into = Map.of("result0", y);
            for (int call = 0; call < 2; call++) {
                m.run(in, into);
                assertArrayEquals(fresh.get("result0").toFloatArray(), y.toFloatArray());
            }
            assertNotSame(fresh.get("result0"), m.run(in).get("result0"));
        }
    }

    @Test
    void runIntoRejectsOutputsOfTheWrongShapeOrDtype() {
        try (CompiledModel m = dense()) {
            Map<String, Tensor> in = Map.of("x", Tensor.of(new float[8], 2, 4));
            assertEquals("output 'result0': this call writes tensor<2x3xf32>, got f32 [3, 3]", assertThrows(IllegalArgumentException.class,
                    () -> m.run(in, Map.of("result0", Tensor.allocate(DType.FLOAT32, 3, 3)))).getMessage());
            assertEquals("output 'result0': this call writes tensor<2x3xf32>, got f64 [2, 3]", assertThrows(IllegalArgumentException.class,
                    () -> m.run(in, Map.of("result0", Tensor.allocate(DType.FLOAT64, 2, 3)))).getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.run(in, Map.of()));
        }
    }
}
