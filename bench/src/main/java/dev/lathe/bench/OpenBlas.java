package dev.lathe.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS as Bytedeco packages it ({@code org.bytedeco:openblas}, a DYNAMIC_ARCH build that picks
 * its kernels for the CPU at load time, unless {@code OPENBLAS_CORETYPE} forces a core type:
 * bench/gemm unsets it). {@code cblas_sgemm} goes through the JavaCPP binding; the thread and
 * core-name functions, which the binding does not map, are looked up in the same loaded
 * {@code libopenblas_nolapack.so.0} (the JNI library's OpenBLAS, which JavaCPP extracts next to it) through {@code java.lang.foreign}.
 */
public final class OpenBlas {

    private static final MethodHandle SET_THREADS;
    private static final MethodHandle GET_THREADS;
    private static final MethodHandle CORENAME;
    private static final MethodHandle CONFIG;

    static {
        String jni = Loader.load(openblas_nolapack.class);
        Path lib = Path.of(jni).resolveSibling("libopenblas_nolapack.so.0");
        if (!Files.exists(lib)) {
            throw new IllegalStateException("libopenblas_nolapack.so.0 is not next to " + jni);
        }
        // dlopen of a library already loaded returns the same handle: the same OpenBLAS instance.
        SymbolLookup lookup = SymbolLookup.libraryLookup(lib, Arena.global());
        Linker linker = Linker.nativeLinker();
        SET_THREADS = linker.downcallHandle(lookup.findOrThrow("openblas_set_num_threads"),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        GET_THREADS = linker.downcallHandle(lookup.findOrThrow("openblas_get_num_threads"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        CORENAME = linker.downcallHandle(lookup.findOrThrow("openblas_get_corename"),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        CONFIG = linker.downcallHandle(lookup.findOrThrow("openblas_get_config"),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
    }

    private OpenBlas() {}

    public static void setThreads(int n) {
        try {
            SET_THREADS.invokeExact(n);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int threads() {
        try {
            return (int) GET_THREADS.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The core type whose kernels OpenBLAS chose, e.g. {@code SkylakeX}, {@code Zen} or {@code Haswell}. */
    public static String coreName() {
        return string(CORENAME);
    }

    /** OpenBLAS's build configuration string (version, DYNAMIC_ARCH, threading). */
    public static String config() {
        return string(CONFIG);
    }

    private static String string(MethodHandle h) {
        try {
            MemorySegment s = (MemorySegment) h.invokeExact();
            return s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code c = a b}, row-major, {@code a: [m, k]}, {@code b: [k, n]}, {@code c: [m, n]}. */
    public static void sgemm(int m, int n, int k, FloatPointer a, FloatPointer b, FloatPointer c) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasNoTrans, m, n, k, 1f, a, k, b, n, 0f, c, n);
    }
}
