package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.aot.AotCompiler;
import dev.lathe.runtime.cache.DiskCache;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk cache: a hit loads instead of compiling; a damaged entry is detected and rebuilt. */
class DiskCacheTest {

    @TempDir
    Path cache;

    private final String model = TestModels.dense("tensor<2x4xf32>", 1f);
    private final Tensor x = Tensor.of(TestModels.ramp(8, 0.3f), 2, 4);

    @BeforeEach
    void coldProcess() {
        SpecializationCompiler.clearMemory();
    }

    private CompileReport.Source compileAndCheck(float[] expected) {
        try (CompiledModel m = Lathe.compile(TestModels.parse(model), Options.defaults().withCacheDir(cache))) {
            if (expected != null) {
                assertArrayEquals(expected, m.run(Map.of("x", x)).get("result0").toFloatArray(), 0f);
            }
            return m.compileReports().getFirst().source();
        }
    }

    private float[] reference() {
        try (CompiledModel m = Lathe.compile(TestModels.parse(model), Options.defaults().withCacheDir(null))) {
            return m.run(Map.of("x", x)).get("result0").toFloatArray();
        }
    }

    @Test
    void secondCompileLoadsFromDisk() {
        float[] expected = reference();
        assertEquals(CompileReport.Source.COMPILED, compileAndCheck(expected));
        SpecializationCompiler.clearMemory();
        assertEquals(CompileReport.Source.DISK, compileAndCheck(expected));
    }

    @Test
    void renamedModelHitsTheSameEntry() {
        compileAndCheck(null);
        SpecializationCompiler.clearMemory();
        String renamed = model.replace("%x", "%features").replace("%0", "%mm").replace("%b", "%bias");
        try (CompiledModel m = Lathe.compile(TestModels.parse(renamed), Options.defaults().withCacheDir(cache))) {
            assertEquals(CompileReport.Source.DISK, m.compileReports().getFirst().source());
            assertEquals("features", m.inputs().getFirst().name(), "names come from the model, not the entry");
        }
    }

    @Test
    void truncatedLibraryIsDetectedAndRebuilt() throws IOException {
        float[] expected = reference();
        compileAndCheck(expected);
        Path lib = onlyEntry().resolve(AotCompiler.LIBRARY);
        try (FileChannel ch = FileChannel.open(lib, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        SpecializationCompiler.clearMemory();
        assertEquals(CompileReport.Source.COMPILED, compileAndCheck(expected));
        SpecializationCompiler.clearMemory();
        assertEquals(CompileReport.Source.DISK, compileAndCheck(expected));
    }

    @Test
    void corruptedWeightsOrMissingChecksumsAreRebuilt() throws IOException {
        float[] expected = reference();
        compileAndCheck(expected);
        Path weights = onlyEntry().resolve(AotCompiler.WEIGHTS);
        byte[] w = Files.readAllBytes(weights);
        w[3] ^= 0x40;
        Files.write(weights, w);
        SpecializationCompiler.clearMemory();
        assertEquals(CompileReport.Source.COMPILED, compileAndCheck(expected));
        Files.delete(onlyEntry().resolve(DiskCache.CHECKSUMS));
        SpecializationCompiler.clearMemory();
        assertEquals(CompileReport.Source.COMPILED, compileAndCheck(expected));
    }

    @Test
    void otherOptionsAreOtherEntries() throws IOException {
        compileAndCheck(null);
        SpecializationCompiler.clearMemory();
        try (CompiledModel m = Lathe.compile(TestModels.parse(model), Options.defaults().withCacheDir(cache).withOptimize(false))) {
            assertEquals(CompileReport.Source.COMPILED, m.compileReports().getFirst().source());
        }
        assertEquals(2, entries().size());
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("tmp-")).toList();
        }
    }

    private Path onlyEntry() throws IOException {
        List<Path> e = entries();
        assertEquals(1, e.size(), "entries " + e);
        assertTrue(Files.exists(e.getFirst().resolve(DiskCache.CHECKSUMS)));
        return e.getFirst();
    }
}
