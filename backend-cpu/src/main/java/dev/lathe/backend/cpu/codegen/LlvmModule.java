package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import java.util.List;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;

/**
 * An LLVM module (in its own context) translated from a loop module, with the table of
 * assertion messages its error codes index (error {@code k} is {@code messages.get(k - 1)}).
 */
public final class LlvmModule implements AutoCloseable {

    private final LLVMContextRef context;
    private LLVMModuleRef module;
    private final List<String> messages;

    LlvmModule(LLVMContextRef context, LLVMModuleRef module, List<String> messages) {
        this.context = context;
        this.module = module;
        this.messages = List.copyOf(messages);
    }

    public LLVMModuleRef module() {
        if (module == null) {
            throw new IllegalStateException("LLVM module already closed");
        }
        return module;
    }

    public List<String> assertionMessages() {
        return messages;
    }

    @Override
    public void close() {
        if (module != null) {
            LLVMDisposeModule(module);
            LLVMContextDispose(context);
            module = null;
        }
    }
}
