package dev.lathe.backend.cpu.jit;

import dev.lathe.backend.cpu.CompiledObject;
import dev.lathe.backend.cpu.ModelAssertionException;
import dev.lathe.backend.cpu.ModelSignature;
import dev.lathe.backend.cpu.TensorSpec;
import dev.lathe.backend.cpu.codegen.RuntimeAbi;
import dev.lathe.backend.cpu.codegen.SerialParallelFor;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A model compiled in process. {@link #run} is thread-safe: each call takes a {@link CallFrames
 * call frame} (workspace, {@code lathe_rt}, argument arrays) that no other call uses while it
 * runs, and gives it back for the next call, so the hot path allocates and zeroes nothing.
 * {@link #close} waits for running calls, then frees the machine code, the weights, the frames
 * and the thread pool.
 */
public final class NativeModel implements AutoCloseable {

    private static final FunctionDescriptor MAIN = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);

    /** Owns the machine code: the ORC JIT it was linked into, or the loaded shared library. */
    private final AutoCloseable code;
    private final MethodHandle entry;
    private final CompiledObject compiled;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment weights;
    private final ParallelRuntime runtime;
    private final CallFrames frames;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    /** {@code serialParallelFor}: the address of {@link SerialParallelFor#SYMBOL} in the code, or 0. */
    NativeModel(AutoCloseable code, long entryAddress, long serialParallelFor, CompiledObject compiled, int threads) {
        this.code = code;
        this.compiled = compiled;
        this.entry = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(entryAddress), MAIN);
        byte[] blob = compiled.weights();
        if (blob.length == 0) {
            weights = MemorySegment.NULL;
        } else {
            weights = HugePageMemory.allocate(arena, blob.length);
            MemorySegment.copy(blob, 0, weights, ValueLayout.JAVA_BYTE, 0, blob.length);
        }
        this.runtime = new ParallelRuntime(threads, serialParallelFor);
        ModelSignature sig = compiled.signature();
        this.frames = new CallFrames(runtime, sig.inputs().size(), sig.outputs().size(), sig.workspaceSize());
    }

    /**
     * Loads {@code lathe_main} from a shared library an AOT compile linked ({@code libmodel.so});
     * {@code compiled} gives its signature, assertion messages and weights (its object bytes are
     * not used). Calls go through the same downcall and Java parallel runtime as JIT-linked code,
     * so the library's own C runtime is never started. {@link #close} unloads the library.
     */
    public static NativeModel loadLibrary(Path library, CompiledObject compiled, int threads) {
        Arena libraryArena = Arena.ofShared();
        try {
            SymbolLookup symbols = SymbolLookup.libraryLookup(library, libraryArena);
            MemorySegment entry = symbols.find(RuntimeAbi.ENTRY)
                    .orElseThrow(() -> new IllegalArgumentException(library + " does not define " + RuntimeAbi.ENTRY));
            long serial = threads == 1 ? symbols.find(SerialParallelFor.SYMBOL).map(MemorySegment::address).orElse(0L) : 0;
            return new NativeModel(libraryArena::close, entry.address(), serial, compiled, threads);
        } catch (RuntimeException e) {
            libraryArena.close();
            throw e;
        }
    }

    public ModelSignature signature() {
        return compiled.signature();
    }

    /** The assertion messages, indexed by error code - 1. */
    public List<String> assertionMessages() {
        return compiled.assertionMessages();
    }

    /**
     * Runs the model on dense row-major native buffers, inputs and outputs in signature order;
     * each must hold at least its tensor's bytes and be aligned to its element size (64 bytes
     * is best). Throws {@link ModelAssertionException} when a {@code loop.assert} failed.
     */
    public void run(MemorySegment[] inputs, MemorySegment[] outputs) {
        ModelSignature sig = compiled.signature();
        check("input", inputs, sig.inputs());
        check("output", outputs, sig.outputs());
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model was closed");
            }
            CallFrames.Frame frame = frames.take();
            int code;
            try {
                frame.bind(inputs, outputs);
                try {
                    code = (int) entry.invokeExact(frame.in, frame.out, weights, frame.workspace, frame.rt);
                } catch (Throwable t) {
                    throw new IllegalStateException("calling lathe_main failed: " + t, t);
                }
                runtime.rethrowFailure(frame.rt);
            } finally {
                frames.give(frame);
            }
            if (code != 0) {
                throw new ModelAssertionException(code, compiled.message(code));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private static void check(String role, MemorySegment[] given, List<TensorSpec> specs) {
        if (given.length != specs.size()) {
            throw new IllegalArgumentException("the model takes " + specs.size() + " " + role + "s " + specs + ", got " + given.length);
        }
        for (int i = 0; i < given.length; i++) {
            TensorSpec spec = specs.get(i);
            MemorySegment s = given[i];
            if (s == null || !s.isNative()) {
                throw new IllegalArgumentException(role + " '" + spec.name() + "' must be a native (off-heap) segment");
            }
            if (s.byteSize() < spec.byteSize()) {
                throw new IllegalArgumentException(role + " '" + spec.name() + "' (" + spec + ") needs " + spec.byteSize()
                        + " bytes, got a segment of " + s.byteSize());
            }
            if (s.address() % spec.elementType().byteSize() != 0) {
                throw new IllegalArgumentException(role + " '" + spec.name() + "' at address " + s.address()
                        + " is not aligned to its " + spec.elementType().byteSize() + "-byte elements");
            }
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            runtime.close();
            frames.close();
            try {
                code.close();
            } catch (Exception e) {
                throw new IllegalStateException("releasing the model's machine code failed: " + e, e);
            } finally {
                arena.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
