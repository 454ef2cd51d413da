package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.type.TensorType;
import dev.lathe.runtime.tier0.GraphProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Options.async}: calls run in tier 0 (Truffle over the reference semantics) until the
 * background compile is ready, then in native code; both agree within the interpreter-vs-native
 * tolerance (1e-5 absolute: f32 matmul of 4 terms and tanh, where native code may use FMA and a
 * vectorized tanh that differ from the reference's Java arithmetic in the last bits).
 */
class AsyncCompileTest {

    private static final float TOL = 1e-5f;

    @Test
    void runsInTierZeroThenSwitchesToNativeWithTheSameResults() throws Exception {
        Options options = Options.defaults().withCacheDir(null).withThreads(2).withAsync(true);
        // A dynamic batch dim: nothing compiles before the first call, so that call surely runs in tier 0.
        try (CompiledModel model = Lathe.compile(TestModels.parse(TestModels.dense("tensor<?x4xf32>", 1f)), options)) {
            Tensor x = Tensor.of(TestModels.ramp(8, 0.25f), 2, 4);
            float[] tier0 = model.run(Map.of("x", x)).get("result0").toFloatArray();
            assertEquals(1, model.tier0Calls());

            CompileReport report = model.nativeReady().get(2, TimeUnit.MINUTES);
            assertEquals(CompileReport.Source.COMPILED, report.source());
            // The switch happens once pending bookkeeping is done; a few calls at most stay in tier 0.
            float[] nativeOut = null;
            for (int i = 0; i < 100 && nativeOut == null; i++) {
                long before = model.tier0Calls();
                float[] y = model.run(Map.of("x", x)).get("result0").toFloatArray();
                if (model.tier0Calls() == before) {
                    nativeOut = y;
                }
            }
            assertTrue(nativeOut != null, "calls switched to native code");
            assertArrayEquals(tier0, nativeOut, TOL);

            GraphProfile profile = model.tier0Profile().orElseThrow();
            assertEquals(Map.of(List.of(TensorType.of(List.of(2L, 4L), x.dtype().scalar())), 1L),
                    profile.callsByInputTypes());
            assertTrue(model.compileFailures().isEmpty());
        }
    }

    @Test
    void staticModelCompilesInTheBackgroundAndAgreesWithSyncCompile() throws Exception {
        String text = TestModels.parallel();
        Tensor x = Tensor.of(TestModels.ramp(64 * 256, 0.01f), 64, 256);
        float[] expected;
        try (CompiledModel sync = Lathe.compile(TestModels.parse(text), Options.defaults().withCacheDir(null))) {
            assertTrue(sync.nativeReady().isDone());
            expected = sync.run(Map.of("x", x)).get("result0").toFloatArray();
        }
        Options options = Options.defaults().withCacheDir(null).withAsync(true);
        try (CompiledModel model = Lathe.compile(TestModels.parse(text), options)) {
            float[] first = model.run(Map.of("x", x)).get("result0").toFloatArray(); // tier 0 or native
            model.nativeReady().get(2, TimeUnit.MINUTES);
            float[] later = model.run(Map.of("x", x)).get("result0").toFloatArray();
            // 256-term f32 dot products then a 256-term row sum: ordering differences grow with the sums.
            assertArrayEquals(expected, first, 1e-3f);
            assertArrayEquals(expected, later, 1e-3f);
        }
    }

    @Test
    void closeDuringBackgroundCompileIsSafe() throws Exception {
        Options options = Options.defaults().withCacheDir(null).withAsync(true);
        CompiledModel model = Lathe.compile(TestModels.parse(TestModels.parallel()), options);
        var ready = model.nativeReady();
        model.close(); // the compile is (almost surely) still running: close must not wait for it or fail
        assertTrue(ready.isDone());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model.run(Map.of("x", Tensor.of(new float[64 * 256], 64, 256))));
        assertEquals("the model was closed", e.getMessage());
        model.close(); // twice is fine
        // The process keeps working: another model compiles and runs while the dropped compile ends.
        try (CompiledModel other = Lathe.compile(TestModels.parse(TestModels.dense("tensor<1x4xf32>", 1f)),
                Options.defaults().withCacheDir(null))) {
            assertEquals(3, other.run(Map.of("x", Tensor.of(new float[4], 1, 4))).get("result0").toFloatArray().length);
        }
    }

    @Test
    void aFailedCompileKeepsTierZeroRunningAndIsReported(@TempDir Path tmp) throws Exception {
        // A cache directory that cannot be created (under a regular file) makes the native compile
        // fail; tier 0 does not depend on it.
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
        Options options = Options.defaults().withCacheDir(file.resolve("cache")).withAsync(true);
        try (CompiledModel model = Lathe.compile(TestModels.parse(TestModels.dense("tensor<1x4xf32>", 1f)), options)) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> model.nativeReady().get(2, TimeUnit.MINUTES));
            assertFalse(model.compileFailures().isEmpty(), "the failure is kept: " + failed.getCause());
            for (int i = 0; i < 3; i++) {
                float[] y = model.run(Map.of("x", Tensor.of(new float[] {1, 2, 3, 4}, 1, 4))).get("result0").toFloatArray();
                assertEquals(3, y.length);
            }
            assertEquals(3, model.tier0Calls());
        }
    }
}
