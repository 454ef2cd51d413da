package dev.lathe.backend.cpu.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;

/** Small helpers around the LLVM C API: one-time target setup, owned strings, error values. */
public final class Llvm {

    private static boolean initialized;

    private Llvm() {}

    /** Registers the native target, its assembly printer and parser; idempotent and thread-safe. */
    public static synchronized void initializeNativeTarget() {
        if (initialized) {
            return;
        }
        if (LLVMInitializeNativeTarget() != 0 || LLVMInitializeNativeAsmPrinter() != 0
                || LLVMInitializeNativeAsmParser() != 0) {
            throw new LlvmException("LLVM has no native target for this machine (" + System.getProperty("os.arch") + ")");
        }
        initialized = true;
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
