package dev.lathe.backend.cpu.aot;

import dev.lathe.backend.cpu.CompiledObject;
import dev.lathe.backend.cpu.CpuCodegen;
import dev.lathe.backend.cpu.DebugDump;
import dev.lathe.backend.cpu.codegen.RuntimeAbi;
import dev.lathe.ir.Module;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes an artifact that C programs load without Lathe or LLVM: {@code model.o},
 * {@code lathe_rt.c} (the pthread runtime), {@code libmodel.so} linked from both with the
 * system C compiler ({@code $CC}, else {@code cc}) when there is one, {@code model.h},
 * {@code weights.bin} and {@code manifest.json}.
 */
public final class AotCompiler {

    public static final String OBJECT = "model.o";
    public static final String RUNTIME_SOURCE = "lathe_rt.c";
    public static final String LIBRARY = "libmodel.so";
    public static final String HEADER = "model.h";
    public static final String WEIGHTS = "weights.bin";
    public static final String MANIFEST = "manifest.json";

    /** What was written; {@code library} is null when no C compiler was found (link by hand). */
    public record Artifact(Path directory, Path object, Path library, Path header, Path manifest, String targetCpu) {}

    private AotCompiler() {}

    public static Artifact compile(Module loopModule, Path outDir, String targetCpu) {
        return compile(loopModule, outDir, targetCpu, null);
    }

    /** {@code targetCpu}: an LLVM CPU name ({@code x86-64-v3}, {@code znver4}, ...), or null for this machine. */
    public static Artifact compile(Module loopModule, Path outDir, String targetCpu, DebugDump dump) {
        return write(CpuCodegen.compile(loopModule, targetCpu, dump), outDir);
    }

    /** Writes the artifact of an already compiled object (the compile cache compiles once, then writes and loads). */
    public static Artifact write(CompiledObject compiled, Path outDir) {
        if (!compiled.moreObjects().isEmpty()) {
            throw new IllegalArgumentException("an AOT artifact has one object: compile it with CpuCodegen on one thread");
        }
        try {
            Files.createDirectories(outDir);
            Path object = Files.write(outDir.resolve(OBJECT), compiled.object());
            Files.write(outDir.resolve(WEIGHTS), compiled.weights());
            Path runtime = outDir.resolve(RUNTIME_SOURCE);
            try (InputStream in = AotCompiler.class.getResourceAsStream(RUNTIME_SOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the backend jar lacks its resource " + RUNTIME_SOURCE);
                }
                Files.write(runtime, in.readAllBytes());
            }
            Path header = Files.writeString(outDir.resolve(HEADER), HeaderWriter.header(compiled.signature(), compiled.targetCpu()));
            Path manifest = Files.writeString(outDir.resolve(MANIFEST), ManifestWriter.manifest(compiled.signature(),
                    compiled.targetCpu(), compiled.weights().length, RuntimeAbi.ENTRY));
            Path library = link(outDir, object, runtime);
            return new Artifact(outDir, object, library, header, manifest, compiled.targetCpu());
        } catch (IOException e) {
            throw new UncheckedIOException("writing the AOT artifact to " + outDir + " failed: " + e.getMessage(), e);
        }
    }

    /** {@code cc -shared -O2 -fPIC -o libmodel.so model.o lathe_rt.c -lm -lpthread}; null without a C compiler. */
    private static Path link(Path dir, Path object, Path runtime) throws IOException {
        String cc = CCompiler.find();
        if (cc == null) {
            return null;
        }
        Path library = dir.resolve(LIBRARY);
        List<String> cmd = new ArrayList<>(List.of(cc, "-shared", "-O2", "-fPIC", "-o", library.toString(),
                object.toString(), runtime.toString(), "-lm", "-lpthread"));
        CCompiler.run(cmd, dir);
        return library;
    }

    /** Locating and running the system C compiler. */
    static final class CCompiler {
        private CCompiler() {}

        static String find() {
            String env = System.getenv("CC");
            if (env != null && !env.isBlank()) {
                return env;
            }
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "cc"))) {
                    return Path.of(dir, "cc").toString();
                }
            }
            return null;
        }

        static void run(List<String> cmd, Path dir) throws IOException {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("the C compiler timed out: " + String.join(" ", cmd));
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while linking", e);
            }
            if (p.exitValue() != 0) {
                throw new IOException("linking failed (" + String.join(" ", cmd) + "):\n" + output);
            }
        }
    }
}
