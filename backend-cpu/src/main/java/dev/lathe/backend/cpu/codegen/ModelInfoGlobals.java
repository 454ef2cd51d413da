package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Exported constants that make a compiled object self-describing, so the AOT C runtime needs
 * nothing generated beside it: {@code lathe_workspace_size}, {@code lathe_weights_size}
 * (int64_t), {@code lathe_assert_message_count} (int32_t) and {@code lathe_assert_messages}
 * (const char*[], UTF-8, index = error code - 1).
 */
public final class ModelInfoGlobals {

    private ModelInfoGlobals() {}

    public static void define(LlvmModule llvm, long workspaceSize, long weightsSize) {
        LLVMModuleRef module = llvm.module();
        LLVMContextRef context = LLVMGetModuleContext(module);
        LLVMTypeRef i64 = LLVMInt64TypeInContext(context);
        LLVMTypeRef i32 = LLVMInt32TypeInContext(context);
        LLVMTypeRef ptr = LLVMPointerTypeInContext(context, 0);
        constant(module, "lathe_workspace_size", LLVMConstInt(i64, workspaceSize, 0), LLVMExternalLinkage);
        constant(module, "lathe_weights_size", LLVMConstInt(i64, weightsSize, 0), LLVMExternalLinkage);
        List<String> messages = llvm.assertionMessages();
        constant(module, "lathe_assert_message_count", LLVMConstInt(i32, messages.size(), 0), LLVMExternalLinkage);
        LLVMValueRef[] strings = new LLVMValueRef[messages.size()];
        for (int i = 0; i < strings.length; i++) {
            byte[] utf8 = messages.get(i).getBytes(StandardCharsets.UTF_8);
            try (BytePointer bytes = new BytePointer(utf8)) {
                strings[i] = constant(module, "lathe.message." + (i + 1),
                        LLVMConstStringInContext2(context, bytes, utf8.length, 0), LLVMPrivateLinkage);
            }
        }
        try (PointerPointer<LLVMValueRef> elements = new PointerPointer<>(strings)) {
            constant(module, "lathe_assert_messages", LLVMConstArray2(ptr, elements, strings.length), LLVMExternalLinkage);
        }
    }

    private static LLVMValueRef constant(LLVMModuleRef module, String name, LLVMValueRef value, int linkage) {
        LLVMValueRef g = LLVMAddGlobal(module, LLVMTypeOf(value), name);
        LLVMSetInitializer(g, value);
        LLVMSetGlobalConstant(g, 1);
        LLVMSetLinkage(g, linkage);
        return g;
    }
}
