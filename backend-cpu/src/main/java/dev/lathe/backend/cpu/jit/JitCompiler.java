package dev.lathe.backend.cpu.jit;

import dev.lathe.backend.cpu.CompilePhases;
import dev.lathe.backend.cpu.CompiledObject;
import dev.lathe.backend.cpu.CpuCodegen;
import dev.lathe.backend.cpu.DebugDump;
import dev.lathe.backend.cpu.codegen.RuntimeAbi;
import dev.lathe.backend.cpu.codegen.SerialParallelFor;
import dev.lathe.ir.Module;

/**
 * Compiles a lowered module for this machine and links it in process: {@code default<O3>} for
 * the host CPU and its features, object files (one per thread that compiled a part, see
 * {@link dev.lathe.backend.cpu.llvm.SplitCodegen}) linked by ORC LLJIT, {@code lathe_main} called
 * through a {@code java.lang.foreign} downcall.
 */
public final class JitCompiler {

    /** {@code threads}: the model's pool size (the caller counts as one); {@code dump}: null or where to dump. */
    public record Options(int threads, DebugDump dump) {

        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), null);
        }

        public Options withThreads(int n) {
            return new Options(n, dump);
        }

        public Options withDebugDump(DebugDump d) {
            return new Options(threads, d);
        }
    }

    private JitCompiler() {}

    /** Compiles on up to as many threads as this machine has cores (the LLVM part; one object each). */
    public static NativeModel compile(Module loopModule, Options options) {
        CompiledObject compiled = CpuCodegen.compile(loopModule, null, options.dump(),
                Runtime.getRuntime().availableProcessors());
        return CompilePhases.time("JIT link", () -> link(compiled, options.threads()));
    }

    /** Links an object compiled for this machine ({@link CpuCodegen#compile}) in process. */
    public static NativeModel link(CompiledObject compiled, int threads) {
        OrcJit jit = new OrcJit();
        try {
            jit.addObject(compiled.object(), "lathe-model.o");
            for (int i = 0; i < compiled.moreObjects().size(); i++) {
                jit.addObject(compiled.moreObjects().get(i), "lathe-model-" + (i + 1) + ".o");
            }
            long entry = jit.lookup(RuntimeAbi.ENTRY);
            return new NativeModel(jit, entry, threads == 1 ? serialParallelFor(jit) : 0, compiled, threads);
        } catch (RuntimeException e) {
            jit.close();
            throw e;
        }
    }

    /** {@link SerialParallelFor#SYMBOL}, or 0 in an object compiled before it existed (a cached one). */
    private static long serialParallelFor(OrcJit jit) {
        try {
            return jit.lookup(SerialParallelFor.SYMBOL);
        } catch (RuntimeException absent) {
            return 0;
        }
    }

    public static NativeModel compile(Module loopModule) {
        return compile(loopModule, Options.defaults());
    }
}
