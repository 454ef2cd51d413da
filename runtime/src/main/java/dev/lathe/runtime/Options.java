package dev.lathe.runtime;

import java.nio.file.Path;

/**
 * How {@link Lathe#compile} compiles and runs a model. Immutable; change with the withers.
 *
 * @param threads threads running a call's parallel loops (the calling thread included)
 * @param optimize whether the graph optimization pipeline runs ({@code false} is {@code -O0})
 * @param cacheDir where compiled models are kept across processes, or null for this process only
 * @param targetCpu an LLVM CPU name ({@code x86-64-v3}, {@code znver4}, ...), or null for this
 *     machine's CPU and every feature it has; code for another CPU must still run here
 * @param deterministic results bit-identical from run to run and whatever {@code threads} says.
 *     Today this runs every call on the calling thread alone ({@code threads} is ignored): the
 *     kernels do not yet promise a reduction order independent of the thread count, so a fixed
 *     order is only guaranteed without parallel loops. Results still depend on the target CPU.
 * @param async {@link Lathe#compile} returns at once: calls run in tier 0 (the Truffle
 *     interpreter over the reference semantics, {@code dev.lathe.runtime.tier0}) until the native
 *     code compiled on a background thread is ready, then switch to it
 * @param tune {@code N > 0}: before compiling, time the cost model's N best schedules of every GEMM
 *     problem of the model on {@code threads} threads and record the fastest in the tuning table
 *     (docs/costmodel.md#measured-search---tune); 0: only use what the table already holds
 * @param tuningDir the tuning table's directory, or null to compile with the cost model's picks
 *     alone. Measured choices apply to code for this machine's CPU only (not with {@code targetCpu})
 *     and are part of the compile cache key.
 */
public record Options(int threads, boolean optimize, Path cacheDir, String targetCpu, boolean deterministic,
        boolean async, int tune, Path tuningDir) {

    /** Not async. */
    public Options(int threads, boolean optimize, Path cacheDir, String targetCpu, boolean deterministic) {
        this(threads, optimize, cacheDir, targetCpu, deterministic, false);
    }

    /** No tuning table. */
    public Options(int threads, boolean optimize, Path cacheDir, String targetCpu, boolean deterministic,
            boolean async) {
        this(threads, optimize, cacheDir, targetCpu, deterministic, async, 0, null);
    }

    public Options {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (tune < 0) {
            throw new IllegalArgumentException("tune must be 0 (off) or the number of candidates to time, got " + tune);
        }
    }

    /**
     * All cores, optimized, the default cache directory, this machine's CPU, not deterministic, the
     * default tuning table ({@code TuningTable.defaultDir()}) used but not extended.
     */
    public static Options defaults() {
        return new Options(Runtime.getRuntime().availableProcessors(), true, defaultCacheDir(), null, false, false, 0,
                dev.lathe.backend.cpu.tune.TuningTable.defaultDir());
    }

    /** {@code $LATHE_CACHE_DIR}, else {@code $XDG_CACHE_HOME/lathe/compiled}, else {@code ~/.cache/lathe/compiled}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("LATHE_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("lathe").resolve("compiled");
    }

    public Options withThreads(int n) {
        return new Options(n, optimize, cacheDir, targetCpu, deterministic, async, tune, tuningDir);
    }

    public Options withOptimize(boolean on) {
        return new Options(threads, on, cacheDir, targetCpu, deterministic, async, tune, tuningDir);
    }

    /** {@code null} keeps compiled code in this process only. */
    public Options withCacheDir(Path dir) {
        return new Options(threads, optimize, dir, targetCpu, deterministic, async, tune, tuningDir);
    }

    public Options withTargetCpu(String cpu) {
        return new Options(threads, optimize, cacheDir, cpu, deterministic, async, tune, tuningDir);
    }

    public Options withDeterministic(boolean on) {
        return new Options(threads, optimize, cacheDir, targetCpu, on, async, tune, tuningDir);
    }

    /** See {@link Options#async}; {@link CompiledModel#nativeReady()} tells when native code takes over. */
    public Options withAsync(boolean on) {
        return new Options(threads, optimize, cacheDir, targetCpu, deterministic, on, tune, tuningDir);
    }

    /**
     * {@code n > 0}: tune the GEMM schedules (time the cost model's {@code n} best candidates of each
     * problem) before compiling, and record the winners in the tuning table (the default one when
     * none is set); 0: only use recorded winners.
     */
    public Options withTune(int n) {
        return new Options(threads, optimize, cacheDir, targetCpu, deterministic, async, n,
                n > 0 && tuningDir == null ? dev.lathe.backend.cpu.tune.TuningTable.defaultDir() : tuningDir);
    }

    /** Where the tuning table is; {@code null}: compile with the cost model's picks alone. */
    public Options withTuningDir(Path dir) {
        return new Options(threads, optimize, cacheDir, targetCpu, deterministic, async, tune, dir);
    }

    /** The threads a call really uses. */
    int effectiveThreads() {
        return deterministic ? 1 : threads;
    }
}
