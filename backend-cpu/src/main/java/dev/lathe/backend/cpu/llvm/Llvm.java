package dev.lathe.backend.cpu.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;

/** Small helpers around the LLVM C API: one-time target setup, owned strings, error values. */
public final class Llvm {

    private static boolean initialized;
    private static boolean preloading;
    private static PointerPointer<BytePointer> commandLine;

    private Llvm() {}

    /**
     * LLVM's process-wide options, set once before the first compilation. {@code
     * -unswitch-threshold=0}: {@code default<O3>}'s non-trivial loop unswitching copies a loop per
     * invariant branch; for Lathe's kernels it took 40% of O3's time (analysing the large GEMM
     * kernels, which it never unswitches) and only duplicated the loops of small gather and
     * elementwise kernels, whose run time it did not change (docs/backend-cpu.md, "Compile time").
     * Trivial unswitching (a branch that exits the loop) still runs. The system property
     * {@code lathe.llvm.options} (space-separated, possibly empty) replaces them, to compare.
     */
    static final String DEFAULT_OPTIONS = "-unswitch-threshold=0";

    /** Registers the native target, its assembly printer and parser; idempotent and thread-safe. */
    public static synchronized void initializeNativeTarget() {
        if (initialized) {
            return;
        }
        if (LLVMInitializeNativeTarget() != 0 || LLVMInitializeNativeAsmPrinter() != 0
                || LLVMInitializeNativeAsmParser() != 0) {
            throw new LlvmException("LLVM has no native target for this machine (" + System.getProperty("os.arch") + ")");
        }
        // Parsed once per process (LLVM rejects an option given twice); the strings stay alive,
        // as LLVM may keep pointers into argv.
        List<String> argv = new ArrayList<>();
        argv.add("lathe");
        for (String option : System.getProperty("lathe.llvm.options", DEFAULT_OPTIONS).trim().split("\\s+")) {
            if (!option.isEmpty()) {
                argv.add(option);
            }
        }
        commandLine = new PointerPointer<>(argv.toArray(String[]::new));
        LLVMParseCommandLineOptions(argv.size(), commandLine, new BytePointer(""));
        initialized = true;
    }

    /**
     * Starts {@link #initializeNativeTarget} on a background thread, once per process: loading
     * LLVM's native library (about 0.1 s of CPU, more in a fresh JVM) then overlaps the graph
     * passes and lowering that come before any LLVM call. A failure there is ignored; the first
     * real call repeats it and reports it.
     */
    public static void preloadInBackground() {
        synchronized (Llvm.class) {
            if (initialized || preloading) {
                return;
            }
            preloading = true;
        }
        Thread.ofPlatform().daemon().name("lathe-llvm-preload").start(() -> {
            try {
                initializeNativeTarget();
            } catch (RuntimeException | LinkageError e) {
                // reported by the caller that needs LLVM
            }
        });
    }

    /** Copies and frees a string that LLVM allocated with malloc (LLVMDisposeMessage). */
    public static String takeMessage(BytePointer p) {
        if (p == null || p.isNull()) {
            return "";
        }
        try {
            return p.getString();
        } finally {
            LLVMDisposeMessage(p);
        }
    }

    /** Throws with {@code what} and LLVM's message when {@code err} is an error; consumes it. */
    public static void check(LLVMErrorRef err, String what) {
        if (err == null || err.isNull()) {
            return;
        }
        BytePointer msg = LLVMGetErrorMessage(err);
        String text;
        try {
            text = msg.getString();
        } finally {
            LLVMDisposeErrorMessage(msg);
        }
        throw new LlvmException(what + ": " + text);
    }

    /** The module as LLVM assembly text. */
    public static String print(LLVMModuleRef module) {
        return takeMessage(LLVMPrintModuleToString(module));
    }

    /** Runs LLVM's verifier; a failure here is a bug in the emitter, so the message says so. */
    public static void verify(LLVMModuleRef module) {
        try (PointerPointer<BytePointer> out = new PointerPointer<>(1)) {
            boolean broken = LLVMVerifyModule(module, LLVMReturnStatusAction, out) != 0;
            String msg = takeMessage(out.get(BytePointer.class, 0));
            if (broken) {
                throw new LlvmException("invalid LLVM IR emitted (a backend bug): " + msg);
            }
        }
    }
}
