package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deterministic mode: the same bits whatever the thread count and from run to run. Today it holds
 * by running each call on one thread (docs/embedding.md); the model has a matmul and a row
 * reduction, whose sums a parallel split could otherwise order differently.
 */
class DeterministicModeTest {

    @Test
    void resultsAreBitIdenticalAcrossThreadCountsAndRuns() {
        float[] x = TestModels.ramp(64 * 256, 0.013f);
        float[] reference = null;
        for (int threads : new int[] {1, 2, 4, 7}) {
            Options options = Options.defaults().withCacheDir(null).withThreads(threads).withDeterministic(true);
            try (CompiledModel model = Lathe.compile(TestModels.parse(TestModels.parallel()), options)) {
                for (int run = 0; run < 5; run++) {
                    float[] y = model.run(Map.of("x", Tensor.of(x, 64, 256))).get("result0").toFloatArray();
                    if (reference == null) {
                        reference = y;
                    }
                    assertArrayEquals(reference, y, 0f, threads + " threads, run " + run);
                }
            }
        }
    }
}
