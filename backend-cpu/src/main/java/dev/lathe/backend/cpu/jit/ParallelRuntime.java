package dev.lathe.backend.cpu.jit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java side of {@code lathe_rt}: {@code parallel_for} is an upcall stub into a fixed pool of
 * {@code threads - 1} workers; the calling thread takes chunks too, so a model makes progress
 * even while the pool is busy with another call. Chunks are claimed from a shared counter
 * (dynamic scheduling), and each runs the outlined body through a downcall.
 */
final class ParallelRuntime implements AutoCloseable {

    /** {@code struct lathe_rt { void (*parallel_for)(...); int32_t error; }}. */
    static final StructLayout RT_LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("parallel_for"),
            ValueLayout.JAVA_INT.withName("error"),
            MemoryLayout.paddingLayout(4));
    static final VarHandle ERROR = RT_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("error"));

    /** Chunks per thread: a few more than one lets fast threads take over the slow ones' work. */
    private static final int CHUNKS_PER_THREAD = 4;

    private static final MethodHandle BODY = Linker.nativeLinker().downcallHandle(
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

    private final int threads;
    private final ExecutorService pool;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment parallelForStub;
    /** A failure inside an upcall cannot be thrown through native frames; it waits here per rt struct. */
    private final ConcurrentHashMap<Long, Throwable> failures = new ConcurrentHashMap<>();

    ParallelRuntime(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, workerFactory());
        try {
            MethodHandle target = MethodHandles.lookup().findVirtual(ParallelRuntime.class, "parallelFor",
                    MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class, MemorySegment.class,
                            long.class, long.class)).bindTo(this);
            parallelForStub = Linker.nativeLinker().upcallStub(target, FunctionDescriptor.ofVoid(
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG), arena);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    int threads() {
        return threads;
    }

    /** A fresh {@code lathe_rt} for one call, in the caller's arena. */
    MemorySegment newRt(Arena callArena) {
        MemorySegment rt = callArena.allocate(RT_LAYOUT);
        rt.set(ValueLayout.ADDRESS, 0, parallelForStub);
        ERROR.set(rt, 0L, 0);
        return rt;
    }

    /** Rethrows (once) a failure the runtime recorded while running with {@code rt}. */
    void rethrowFailure(MemorySegment rt) {
        Throwable t = failures.remove(rt.address());
        if (t != null) {
            throw new IllegalStateException("the parallel runtime failed: " + t, t);
        }
    }

    // Called from native code: must never throw.
    @SuppressWarnings("unused")
    private void parallelFor(MemorySegment rt, MemorySegment body, MemorySegment ctx, long n, long grain) {
        try {
            if (n <= 0) {
                return;
            }
            long minChunk = Math.max(1, grain);
            long maxChunks = Math.max(1, Math.min((long) threads * CHUNKS_PER_THREAD, n / minChunk));
            if (pool == null || maxChunks == 1) {
                BODY.invokeExact(body, ctx, 0L, n);
                return;
            }
            Job job = new Job(body, ctx, n, (n + maxChunks - 1) / maxChunks);
            int helpers = (int) Math.min(threads - 1, maxChunks - 1);
            for (int i = 0; i < helpers; i++) {
                pool.execute(job::work);
            }
            job.work();
            job.awaitAll();
            if (job.failure != null) {
                failures.put(rt.address(), job.failure);
            }
        } catch (Throwable t) {
            failures.put(rt.address(), t);
        }
    }

    /** One parallel_for: chunks claimed from {@code next}, completion counted in iterations. */
    private static final class Job {
        final MemorySegment body;
        final MemorySegment ctx;
        final long n;
        final long chunk;
        final java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        volatile Throwable failure;

        Job(MemorySegment body, MemorySegment ctx, long n, long chunk) {
            this.body = body;
            this.ctx = ctx;
            this.n = n;
            this.chunk = chunk;
        }

        void work() {
            long begin;
            while ((begin = next.getAndAdd(chunk)) < n) {
                long end = Math.min(n, begin + chunk);
                try {
                    BODY.invokeExact(body, ctx, begin, end);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    if (done.addAndGet(end - begin) == n) {
                        synchronized (this) {
                            notifyAll();
                        }
                    }
                }
            }
        }

        synchronized void awaitAll() throws InterruptedException {
            // Not interruptible in effect: the chunks still read ctx, which lives on the caller's stack.
            boolean interrupted = false;
            while (done.get() < n) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static java.util.concurrent.ThreadFactory workerFactory() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "lathe-jit-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        arena.close();
    }
}
