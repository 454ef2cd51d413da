package dev.lathe.backend.cpu.jit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Native memory for a model's weights on transparent huge pages where Linux offers them.
 *
 * <p>Why: a model's weights are read in full on every call, mostly from memory (MiniLM's 42 MB
 * of layer weights do not stay in cache between calls), and with 4 KB pages the GEMM kernels'
 * strided reads of them miss the TLB every few rows. Measured on MiniLM seq 16, 1 thread (AOT,
 * the same change in {@code lathe_rt.c}): 8.5 -> 7.7 ms. The JDK's own allocation zeroes the
 * memory before a caller could {@code madvise} it (the pages are then already small), so this maps
 * it itself: {@code mmap} of 2 MB more than asked, the 2 MB-aligned part advised with
 * {@code MADV_HUGEPAGE} before it is first written, the whole mapping unmapped when the arena
 * closes. Where that is not available (not Linux, or a call fails) it is plain arena memory;
 * the kernel may still refuse huge pages (THP "never"), which only costs the speed-up.
 */
final class HugePageMemory {

    static final long HUGE_PAGE = 2L << 20;

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;

    private record Calls(MethodHandle mmap, MethodHandle madvise, MethodHandle munmap) {}

    private static final Optional<Calls> CALLS = lookup();

    private HugePageMemory() {}

    /**
     * {@code size} bytes, 64-byte aligned (2 MB aligned when mapped), freed when {@code arena}
     * closes. Small requests (under a huge page) take plain arena memory.
     */
    static MemorySegment allocate(Arena arena, long size) {
        if (size >= HUGE_PAGE && CALLS.isPresent()) {
            MemorySegment mapped = map(CALLS.get(), arena, size);
            if (mapped != null) {
                return mapped;
            }
        }
        return arena.allocate(size, 64);
    }

    private static MemorySegment map(Calls calls, Arena arena, long size) {
        long length = size + HUGE_PAGE;
        try {
            MemorySegment base = (MemorySegment) calls.mmap.invokeExact(MemorySegment.NULL, length, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (base.address() == -1L) {
                return null;
            }
            long start = (base.address() + HUGE_PAGE - 1) & -HUGE_PAGE;
            long advised = (size + HUGE_PAGE - 1) & -HUGE_PAGE;
            // Best effort: a refusal (THP off) leaves ordinary pages, which still work.
            int ignored = (int) calls.madvise.invokeExact(MemorySegment.ofAddress(start), Math.min(advised,
                    base.address() + length - start), MADV_HUGEPAGE);
            return MemorySegment.ofAddress(start).reinterpret(size, arena, s -> unmap(calls, base, length));
        } catch (Throwable t) {
            return null;
        }
    }

    private static void unmap(Calls calls, MemorySegment base, long length) {
        try {
            int ignored = (int) calls.munmap.invokeExact(base, length);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap of a model's weights failed", t);
        }
    }

    private static Optional<Calls> lookup() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        var mmap = libc.find("mmap");
        var madvise = libc.find("madvise");
        var munmap = libc.find("munmap");
        if (mmap.isEmpty() || madvise.isEmpty() || munmap.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Calls(
                linker.downcallHandle(mmap.get(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG)),
                linker.downcallHandle(madvise.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)),
                linker.downcallHandle(munmap.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG))));
    }
}
