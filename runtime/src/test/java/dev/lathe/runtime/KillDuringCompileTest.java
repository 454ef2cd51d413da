package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM killed with SIGKILL while it fills the cache leaves a cache every later compile can use. */
class KillDuringCompileTest {

    /** The child: compiles model variants into the cache directory {@code args[0]} until killed. */
    public static final class Child {
        public static void main(String[] args) {
            Options options = Options.defaults().withCacheDir(Path.of(args[0])).withThreads(1);
            for (int i = 0; ; i++) {
                try (CompiledModel m = Lathe.compile(TestModels.parse(TestModels.dense("tensor<2x4xf32>", 1f + i)), options)) {
                    System.out.println("compiled " + i);
                }
            }
        }
    }

    @Test
    void killMinusNineMidCompileLeavesAUsableCache(@TempDir Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Each round waits for the child's first finished compile (a fixed delay fails on a slow,
        // loaded machine), then kills it a little later, in the middle of another compile.
        for (long delayMs : new long[] {0, 150, 400}) {
            Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Child.class.getName(), cache.toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("compiled ") && System.nanoTime() < deadline) {
                // skip JVM and LLVM chatter
            }
            assertTrue(line != null && line.startsWith("compiled "), "the child compiled nothing: " + line);
            Thread.sleep(delayMs);
            child.destroyForcibly(); // SIGKILL on Linux
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        try (Stream<Path> s = Files.list(cache)) {
            assertTrue(s.findAny().isPresent(), "the child never reached the cache");
        }
        // Every model the child may have written, half written or not at all, compiles or loads correctly.
        for (int i = 0; i < 3; i++) {
            SpecializationCompiler.clearMemory();
            String text = TestModels.dense("tensor<2x4xf32>", 1f + i);
            Tensor x = Tensor.of(TestModels.ramp(8, 0.3f), 2, 4);
            float[] expected;
            try (CompiledModel m = Lathe.compile(TestModels.parse(text), Options.defaults().withCacheDir(null))) {
                expected = m.run(Map.of("x", x)).get("result0").toFloatArray();
            }
            try (CompiledModel m = Lathe.compile(TestModels.parse(text), Options.defaults().withCacheDir(cache))) {
                assertArrayEquals(expected, m.run(Map.of("x", x)).get("result0").toFloatArray(), 0f, "variant " + i);
            }
        }
        try (Stream<Path> s = Files.list(cache)) {
            List<Path> entries = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("tmp-")).toList();
            for (Path e : entries) {
                assertTrue(Files.exists(e.resolve(dev.lathe.runtime.cache.DiskCache.CHECKSUMS)), "incomplete entry in place: " + e);
            }
        } catch (IOException e) {
            throw e;
        }
    }
}
