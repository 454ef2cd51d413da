package dev.lathe.backend.cpu.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;

/** Machine code out of a module: an object file (for the JIT or a shared library) or assembly text. */
public final class ObjectEmitter {

    private ObjectEmitter() {}

    /** The object file in an LLVM memory buffer; the caller owns (disposes or hands over) it. */
    public static LLVMMemoryBufferRef emitObject(LLVMModuleRef module, LlvmTarget target) {
        return emitToBuffer(module, target, LLVMObjectFile, "object code");
    }

    public static byte[] emitObjectBytes(LLVMModuleRef module, LlvmTarget target) {
        return take(emitObject(module, target));
    }

    /** The target assembly ({@code .s}) of the module. */
    public static String emitAssembly(LLVMModuleRef module, LlvmTarget target) {
        return new String(take(emitToBuffer(module, target, LLVMAssemblyFile, "assembly")),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static LLVMMemoryBufferRef emitToBuffer(LLVMModuleRef module, LlvmTarget target, int kind, String what) {
        LLVMMemoryBufferRef buffer = new LLVMMemoryBufferRef();
        BytePointer error = new BytePointer((Pointer) null);
        boolean failed = LLVMTargetMachineEmitToMemoryBuffer(target.machine(), module, kind, error, buffer) != 0;
        String message = Llvm.takeMessage(error);
        if (failed) {
            throw new LlvmException("LLVM could not emit " + what + " for " + target.cpu() + ": " + message);
        }
        return buffer;
    }

    private static byte[] take(LLVMMemoryBufferRef buffer) {
        try {
            int size = Math.toIntExact(LLVMGetBufferSize(buffer));
            byte[] bytes = new byte[size];
            LLVMGetBufferStart(buffer).get(bytes);
            return bytes;
        } finally {
            LLVMDisposeMemoryBuffer(buffer);
        }
    }
}
