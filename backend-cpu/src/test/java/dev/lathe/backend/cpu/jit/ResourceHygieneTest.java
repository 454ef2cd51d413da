package dev.lathe.backend.cpu.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.Buffers;
import dev.lathe.backend.cpu.Kernels;
import dev.lathe.backend.cpu.SampleModels;
import dev.lathe.ir.Module;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Compiling, running and closing many models leaks neither threads nor native memory. */
class ResourceHygieneTest {

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("lathe-jit-worker")).count();
    }

    private static long residentBytes() throws Exception {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(statm[1]) * 4096;
    }

    private static void compileRunClose(Module m) {
        try (NativeModel model = JitCompiler.compile(m, JitCompiler.Options.defaults().withThreads(3));
                Arena a = Arena.ofConfined()) {
            float[] x = new float[256];
            MemorySegment y = Kernels.run(model, a, Buffers.floats(a, x))[0];
            assertEquals(SampleModels.expected(5, 0), Buffers.toFloats(y, 256)[5]);
        }
    }

    @Test
    void fiftyModelsReturnThreadsAndMemory() throws Exception {
        Module m = SampleModels.addWeightsThenDouble();
        long threadsBefore = workerThreads();
        for (int i = 0; i < 10; i++) {
            compileRunClose(m);
        }
        System.gc();
        long rssAfterWarmUp = residentBytes();
        for (int i = 0; i < 50; i++) {
            compileRunClose(m);
        }
        System.gc();
        long growth = residentBytes() - rssAfterWarmUp;
        assertEquals(threadsBefore, workerThreads(), "pool threads outlived their models");
        // One model's LLVM context, JIT and code is a few MB; 50 leaked ones would be far above this.
        assertTrue(growth < 96L << 20, "resident memory grew by " + (growth >> 20) + " MiB over 50 models");
    }

    @Test
    void aClosedModelRefusesToRun() {
        NativeModel model = JitCompiler.compile(SampleModels.addWeightsThenDouble(), JitCompiler.Options.defaults());
        model.close();
        model.close(); // idempotent
        try (Arena a = Arena.ofConfined()) {
            assertThrows(IllegalStateException.class, () -> Kernels.run(model, a, Buffers.floats(a, new float[256])));
        }
    }
}
