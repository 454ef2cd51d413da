package dev.lathe.backend.cpu.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.backend.cpu.DebugDump;
import dev.lathe.backend.cpu.SampleModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact links into a C program that knows nothing of Lathe or LLVM. */
class AotCompilerTest {

    /** Runs the model from C on x[i] = i / 4 with 3 threads, prints y; then makes the assertion fail. */
    private static final String DRIVER = """
            #include <stdio.h>
            #include <stdlib.h>
            #include "model.h"
            int main(int argc, char **argv) {
              lathe_model *m = lathe_open(argv[1]);
              if (!m) { fprintf(stderr, "open: %s\\n", lathe_open_error()); return 2; }
              if (lathe_set_threads(m, 3) != 0) return 3;
              float *x = aligned_alloc(64, LATHE_INPUT_0_BYTES), *y = aligned_alloc(64, LATHE_OUTPUT_0_BYTES);
              for (int i = 0; i < 256; i++) x[i] = i / 4.0f;
              void *in[] = {x}, *out[] = {y};
              int rc = lathe_run(m, in, out);
              printf("rc=%d\\n", rc);
              for (int i = 0; i < 256; i++) printf("%.9g\\n", y[i]);
              x[7] = 5000.0f;
              rc = lathe_run(m, in, out);
              printf("rc=%d %s\\n", rc, lathe_error_message(rc));
              printf("%s %s %d\\n", LATHE_INPUT_0_NAME, LATHE_INPUT_0_DTYPE, LATHE_INPUT_0_RANK);
              lathe_close(m);
              free(x); free(y);
              return 0;
            }
            """;

    @Test
    void sharedLibraryRunsFromAC_Program(@TempDir Path dir) throws Exception {
        assumeTrue(AotCompiler.CCompiler.find() != null, "no C compiler on this machine");
        Path out = dir.resolve("artifact");
        AotCompiler.Artifact artifact = AotCompiler.compile(SampleModels.addWeightsThenDouble(), out, null,
                new DebugDump(dir.resolve("dump")));
        assertNotNull(artifact.library());
        assertTrue(Files.size(out.resolve(AotCompiler.WEIGHTS)) == 1024);

        Path driver = Files.writeString(dir.resolve("driver.c"), DRIVER);
        Path exe = dir.resolve("driver");
        run(dir, List.of(AotCompiler.CCompiler.find(), "-O1", "-o", exe.toString(), driver.toString(), "-I", out.toString(),
                "-L", out.toString(), "-lmodel", "-Wl,-rpath," + out));
        List<String> lines = run(dir, List.of(exe.toString(), out.toString())).lines().toList();
        assertEquals("rc=0", lines.get(0));
        for (int i = 0; i < 256; i++) {
            assertEquals(SampleModels.expected(i, i / 4.0f), Float.parseFloat(lines.get(1 + i)), "y[" + i + "]");
        }
        assertEquals("rc=1 sum too large", lines.get(257));
        assertEquals("x f32 1", lines.get(258));

        String manifest = Files.readString(artifact.manifest());
        assertTrue(manifest.contains("\"inputs\": [\n    {\"name\": \"x\", \"dtype\": \"f32\", \"shape\": [256]}"), manifest);
        assertTrue(manifest.contains("\"workspace_size\": 1024"), manifest);
        assertTrue(manifest.contains("\"entry\": \"lathe_main\""), manifest);
        for (String f : List.of(DebugDump.LOOP_IR, DebugDump.LLVM_IR, DebugDump.OPTIMIZED_LLVM_IR, DebugDump.ASSEMBLY)) {
            assertTrue(Files.size(dir.resolve("dump").resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(dir.resolve("dump").resolve(DebugDump.ASSEMBLY)).contains("lathe_main:"));
    }

    @Test
    void anotherTargetCpuIsNamedInTheArtifact(@TempDir Path dir) throws Exception {
        AotCompiler.Artifact artifact = AotCompiler.compile(SampleModels.addWeightsThenDouble(), dir, "x86-64-v2",
                new DebugDump(dir.resolve("dump")));
        assertEquals("x86-64-v2", artifact.targetCpu());
        assertTrue(Files.readString(artifact.manifest()).contains("\"target_cpu\": \"x86-64-v2\""));
        String asm = Files.readString(dir.resolve("dump").resolve(DebugDump.ASSEMBLY));
        assertTrue(!asm.contains("%ymm") && !asm.contains("%zmm"), "x86-64-v2 has no AVX registers");
    }

    private static String run(Path dir, List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + output);
        return output;
    }
}
