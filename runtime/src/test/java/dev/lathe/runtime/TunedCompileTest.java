package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.tune.TuningTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Options#withTune}: tuning writes the table, later compiles use it, the compile cache key
 * includes the choices (a model cached before tuning is not reused after it), and the tuned code
 * computes bit-identically what the untuned code computes.
 */
class TunedCompileTest {

    @TempDir
    Path cache;

    @TempDir
    Path tuning;

    private final String model = TestModels.dense("tensor<2x4xf32>", 1f);
    private final Tensor x = Tensor.of(TestModels.ramp(8, 0.3f), 2, 4);

    @BeforeEach
    void coldProcess() {
        SpecializationCompiler.clearMemory();
    }

    private record Compiled(CompileReport.Source source, float[] result) {}

    private Compiled compile(Options options) {
        SpecializationCompiler.clearMemory();
        try (CompiledModel m = Lathe.compile(TestModels.parse(model), options.withCacheDir(cache))) {
            return new Compiled(m.compileReports().getFirst().source(), m.run(Map.of("x", x)).get("result0").toFloatArray());
        }
    }

    @Test
    void tunedChoicesAreUsedAndKeyTheCache() throws IOException {
        Options plain = Options.defaults().withThreads(1).withTuningDir(tuning);
        Compiled before = compile(plain);
        assertEquals(CompileReport.Source.COMPILED, before.source());
        assertEquals(CompileReport.Source.DISK, compile(plain).source());

        Compiled tuned = compile(plain.withTune(2));
        assertTrue(Files.exists(tuning.resolve(TuningTable.FILE)), "tuning writes the table");
        assertEquals(CompileReport.Source.COMPILED, tuned.source(), "the tuned model is not the cached untuned one");
        assertArrayEquals(before.result(), tuned.result(), 0f);

        Compiled after = compile(plain);
        assertEquals(CompileReport.Source.DISK, after.source(), "a later compile without --tune uses the tuned entry");
        assertArrayEquals(before.result(), after.result(), 0f);
        assertEquals(CompileReport.Source.DISK, compile(plain.withTuningDir(null)).source(),
                "without the table, the untuned entry is still there");
    }

    @Test
    void corruptTableDoesNotFailACompile() throws IOException {
        Files.writeString(tuning.resolve(TuningTable.FILE), "not json");
        Options plain = Options.defaults().withThreads(1).withTuningDir(tuning);
        Compiled c = compile(plain);
        assertEquals(CompileReport.Source.COMPILED, c.source());
        assertEquals(CompileReport.Source.DISK, compile(Options.defaults().withThreads(1).withTuningDir(null)).source(),
                "an unreadable table is the same as none");
    }
}
