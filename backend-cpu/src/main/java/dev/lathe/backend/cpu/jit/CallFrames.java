package dev.lathe.backend.cpu.jit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native memory one call of {@code lathe_main} needs besides its tensors: the input and
 * output pointer arrays, a {@code lathe_rt} and the workspace. Allocating (and so zeroing) them
 * per call cost more than a small model's kernels (the workspace of MiniLM at seq 128 is
 * 1.77 MB), so a call {@linkplain #take takes} a frame from a stack of free ones and
 * {@linkplain #give gives} it back: concurrent calls never share a frame, and a sequence of
 * calls reuses one whose memory is still in cache (LIFO).
 *
 * <p>The workspace is zeroed only when a frame is made; later calls see what the previous one
 * left. That is the contract of {@code loop.alloc} ("an uninitialized buffer in the call's
 * workspace"), which plan-buffers already relies on by sharing bytes between buffers. With
 * {@code -Dlathe.poisonWorkspace=true} (or {@code LATHE_POISON_WORKSPACE=true}) every call's workspace is filled with {@code 0xFF}
 * bytes (NaN as f32) first, to catch a kernel that reads scratch it did not write.
 *
 * <p>At most {@link #MAX_KEPT} free frames are kept; a burst of more concurrent calls makes
 * more, and those beyond the limit are freed when their call ends.
 */
final class CallFrames implements AutoCloseable {

    static final boolean POISON = Boolean.getBoolean("lathe.poisonWorkspace")
            || "true".equals(System.getenv("LATHE_POISON_WORKSPACE"));
    static final int MAX_KEPT = Math.max(4, Runtime.getRuntime().availableProcessors());

    /** One call's memory; used by one call at a time. */
    static final class Frame {
        private final Arena arena = Arena.ofShared();
        final MemorySegment in;
        final MemorySegment out;
        final MemorySegment workspace;
        final MemorySegment rt;

        Frame(ParallelRuntime runtime, int inputs, int outputs, long workspaceSize) {
            in = arena.allocate(ValueLayout.ADDRESS, Math.max(1, inputs));
            out = arena.allocate(ValueLayout.ADDRESS, Math.max(1, outputs));
            workspace = workspaceSize == 0 ? MemorySegment.NULL : arena.allocate(workspaceSize, 64);
            rt = runtime.newRt(arena);
        }

        /** Points the argument arrays at this call's tensors and clears the error flag. */
        void bind(MemorySegment[] inputs, MemorySegment[] outputs) {
            for (int i = 0; i < inputs.length; i++) {
                in.setAtIndex(ValueLayout.ADDRESS, i, inputs[i]);
            }
            for (int i = 0; i < outputs.length; i++) {
                out.setAtIndex(ValueLayout.ADDRESS, i, outputs[i]);
            }
            ParallelRuntime.ERROR.set(rt, 0L, 0);
            if (POISON && workspace.byteSize() > 0) {
                workspace.fill((byte) 0xFF);
            }
        }

        void free() {
            arena.close();
        }
    }

    private final ParallelRuntime runtime;
    private final int inputs;
    private final int outputs;
    private final long workspaceSize;
    private final ConcurrentLinkedDeque<Frame> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger kept = new AtomicInteger();

    CallFrames(ParallelRuntime runtime, int inputs, int outputs, long workspaceSize) {
        this.runtime = runtime;
        this.inputs = inputs;
        this.outputs = outputs;
        this.workspaceSize = workspaceSize;
    }

    /** A frame no running call holds: the most recently given back, else a new one. */
    Frame take() {
        Frame f = free.pollFirst();
        if (f != null) {
            kept.decrementAndGet();
            return f;
        }
        return new Frame(runtime, inputs, outputs, workspaceSize);
    }

    /** Returns a frame after its call; freed at once when enough are kept already. */
    void give(Frame f) {
        if (kept.incrementAndGet() <= MAX_KEPT) {
            free.offerFirst(f);
        } else {
            kept.decrementAndGet();
            f.free();
        }
    }

    /** Frees the kept frames; the caller guarantees that no call is running. */
    @Override
    public void close() {
        Frame f;
        while ((f = free.pollFirst()) != null) {
            f.free();
        }
        kept.set(0);
    }
}
