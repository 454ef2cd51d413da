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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The Java side of {@code lathe_rt}: {@code parallel_for} is an upcall stub into a pool of
 * {@code threads - 1} workers; the calling thread takes chunks too, so a model makes progress
 * even while the pool is busy with another call. Chunks are claimed from a shared counter
 * (dynamic scheduling), and each runs the outlined body through a downcall.
 *
 * <p>Protocol (docs/backend-cpu.md, "Parallel runtime"): the caller publishes its job in one
 * volatile slot (a compare-and-set; when the slot holds another call's job, the caller runs its
 * loop alone), wakes the workers that sleep, works on chunks itself, empties the slot and waits
 * for the chunks others took. A worker that finished a job may spin on the slot for
 * {@link #SPIN_NANOS} before it parks, so that the next loop starts without an unpark; the
 * waiting caller spins as long before it parks. The spin is bounded and off by default (it cost
 * more than it saved on the shared 2-core host). There is no executor queue and no allocation
 * but the job itself.
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

    /**
     * How long a worker waits for the next job, and a caller for its helpers, spinning before it
     * parks ({@code -Dlathe.spinMicros}, default 100; 0 parks after a few dozen spin-wait hints).
     * A parked worker wakes 40 µs or more late, as long as half a small GEMM: on the quiet 2-core
     * host the spin took MiniLM seq 16 at two threads from 8.9 to 5.9 ms. On a host with more busy
     * threads than cores a spinning worker takes the core the caller needs (Silero 15-50% slower
     * at two threads under load): docs/backend-cpu.md, "JIT".
     */
    static final long SPIN_NANOS = Long.getLong("lathe.spinMicros", 100) * 1000;

    private static final MethodHandle BODY = Linker.nativeLinker().downcallHandle(
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

    private final int threads;
    private final Worker[] workers;
    /** The job workers may join: null, or the one running {@code parallel_for} that owns the pool now. */
    private final AtomicReference<Job> slot = new AtomicReference<>();
    private volatile boolean closing;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment parallelForStub;
    /** Native and sequential, for one thread; null when the code has none. */
    private final MemorySegment serialParallelFor;
    /** A failure inside an upcall cannot be thrown through native frames; it waits here per rt struct. */
    private final ConcurrentHashMap<Long, Throwable> failures = new ConcurrentHashMap<>();

    /**
     * {@code serialParallelFor}: the address of the compiled code's native one-thread
     * {@code parallel_for} ({@code SerialParallelFor}), or 0; used in place of the upcall when
     * {@code threads} is 1.
     */
    ParallelRuntime(int threads, long serialParallelFor) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.serialParallelFor = threads == 1 && serialParallelFor != 0 ? MemorySegment.ofAddress(serialParallelFor) : null;
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
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].thread.start();
        }
    }

    int threads() {
        return threads;
    }

    /** A fresh {@code lathe_rt} in {@code owner}'s memory. */
    MemorySegment newRt(Arena owner) {
        MemorySegment rt = owner.allocate(RT_LAYOUT);
        rt.set(ValueLayout.ADDRESS, 0, serialParallelFor != null ? serialParallelFor : parallelForStub);
        ERROR.set(rt, 0L, 0);
        return rt;
    }

    /** Rethrows (once) a failure the runtime recorded while running with {@code rt}. */
    void rethrowFailure(MemorySegment rt) {
        if (failures.isEmpty()) {
            return;
        }
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
            if (workers.length == 0 || maxChunks == 1) {
                BODY.invokeExact(body, ctx, 0L, n);
                return;
            }
            Job job = new Job(body, ctx, n, (n + maxChunks - 1) / maxChunks, Thread.currentThread());
            if (!slot.compareAndSet(null, job)) {
                // The pool works for another call (concurrent runs): this loop runs on its caller alone.
                BODY.invokeExact(body, ctx, 0L, n);
                return;
            }
            int helpers = (int) Math.min(workers.length, maxChunks - 1);
            for (int i = 0; i < helpers; i++) {
                workers[i].wake();
            }
            job.work();
            slot.compareAndSet(job, null);
            job.awaitAll();
            if (job.failure != null) {
                failures.put(rt.address(), job.failure);
            }
        } catch (Throwable t) {
            failures.put(rt.address(), t);
        }
    }

    /** Spin-wait hints between two reads of the clock. */
    private static final int CHECKS_PER_CLOCK_READ = 32;

    /**
     * The waits of a worker and of a caller: each {@link #spent} is one check of the waited-for
     * condition; it spins ({@link Thread#onSpinWait}) until {@link #SPIN_NANOS} have passed since
     * the first clock read, then says it is time to park.
     */
    private static final class Spin {
        private long deadline;
        private int checks;

        boolean spent() {
            if (++checks < CHECKS_PER_CLOCK_READ) {
                Thread.onSpinWait();
                return false;
            }
            checks = 0;
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + SPIN_NANOS;
                return false;
            }
            return now - deadline > 0;
        }
    }

    /** One parallel_for: chunks claimed from {@code next}, completion counted in iterations. */
    private static final class Job {
        final MemorySegment body;
        final MemorySegment ctx;
        final long n;
        final long chunk;
        final Thread caller;
        final AtomicLong next = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        /** Set while the caller is parked (or about to): the worker finishing the last chunk unparks it. */
        volatile boolean callerSleeps;
        volatile Throwable failure;

        Job(MemorySegment body, MemorySegment ctx, long n, long chunk, Thread caller) {
            this.body = body;
            this.ctx = ctx;
            this.n = n;
            this.chunk = chunk;
            this.caller = caller;
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
                    if (done.addAndGet(end - begin) == n && callerSleeps) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /**
         * Returns when every chunk is done. Not interruptible in effect: the chunks still read
         * ctx, which lives on the caller's stack.
         */
        void awaitAll() {
            Spin spin = new Spin();
            while (done.get() < n) {
                if (spin.spent()) {
                    callerSleeps = true;
                    if (done.get() < n) {
                        LockSupport.parkNanos(this, 1_000_000);
                    }
                    callerSleeps = false;
                }
            }
        }
    }

    /** A pool thread: runs chunks of each new job in the slot; between jobs spins, then parks. */
    private final class Worker implements Runnable {
        final Thread thread;
        /** Set while parked (or about to): a caller publishing a job unparks it. */
        volatile boolean sleeps;

        Worker(int index) {
            thread = new Thread(this, "lathe-jit-worker-" + index);
            thread.setDaemon(true);
        }

        void wake() {
            if (sleeps) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            Job last = null;
            while (!closing) {
                Job job = next(last);
                if (job != null) {
                    last = job;
                    job.work();
                }
            }
        }

        /** The next job (one other than {@code last}), or null when closing. */
        private Job next(Job last) {
            Spin spin = new Spin();
            while (!closing) {
                Job job = slot.get();
                if (job != null && job != last) {
                    return job;
                }
                if (spin.spent()) {
                    sleeps = true;
                    job = slot.get();
                    if ((job == null || job == last) && !closing) {
                        LockSupport.park(this);
                    }
                    sleeps = false;
                    spin = new Spin();
                }
            }
            return null;
        }
    }

    @Override
    public void close() {
        closing = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
        boolean interrupted = false;
        for (Worker w : workers) {
            try {
                w.thread.join(10_000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        arena.close();
    }
}
