package dev.lathe.runtime;

import java.util.List;

/**
 * How one specialization of a model came to be: compiled now, or found in the compile cache
 * (in this process's memory or on disk), and how long that took.
 *
 * @param inputShapes the shapes it was specialized to, in input order
 */
public record CompileReport(Source source, double millis, List<List<Long>> inputShapes, String note) {

    public enum Source {
        /** Lowered and compiled by LLVM now (then stored in the cache). */
        COMPILED,
        /** Found in this process's cache: linked again without compiling. */
        MEMORY,
        /** Found on disk: the shared library was loaded without compiling. */
        DISK
    }

    public boolean cacheHit() {
        return source != Source.COMPILED;
    }

    /** {@code cache hit (disk), 12.3 ms}: how the CLI reports it. */
    public String describe() {
        return (cacheHit() ? "cache hit (" + source.name().toLowerCase(java.util.Locale.ROOT) + ")" : "cache miss, compiled")
                + String.format(java.util.Locale.ROOT, " in %.1f ms", millis) + (note == null ? "" : " (" + note + ")");
    }
}
