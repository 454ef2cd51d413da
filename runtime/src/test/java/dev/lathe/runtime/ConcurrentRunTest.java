package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One CompiledModel shared by many threads: every call must see only its own workspace. */
class ConcurrentRunTest {

    @Test
    void eightThreadsTimesTwoHundredRunsGiveIdenticalOutputs() throws Exception {
        Options options = Options.defaults().withCacheDir(null).withThreads(4);
        try (CompiledModel model = Lathe.compile(TestModels.parse(TestModels.parallel()), options)) {
            // Different inputs per thread, so a shared workspace would show up as mixed results.
            List<float[]> inputs = new ArrayList<>();
            List<float[]> expected = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                float[] x = TestModels.ramp(64 * 256, 0.01f * (t + 1));
                inputs.add(x);
                expected.add(model.run(Map.of("x", Tensor.of(x, 64, 256))).get("result0").toFloatArray());
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        Tensor x = Tensor.of(inputs.get(thread), 64, 256);
                        for (int i = 0; i < 200; i++) {
                            float[] y = model.run(Map.of("x", x)).get("result0").toFloatArray();
                            assertArrayEquals(expected.get(thread), y, 0f, "thread " + thread + " run " + i);
                        }
                        return 200;
                    }));
                }
                int runs = 0;
                for (Future<Integer> f : done) {
                    runs += f.get(5, TimeUnit.MINUTES);
                }
                assertEquals(1600, runs);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, model.compileReports().size(), "one static specialization, compiled once");
        }
    }
}
