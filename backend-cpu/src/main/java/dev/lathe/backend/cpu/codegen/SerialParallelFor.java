package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Defines the exported {@code void lathe_parallel_for_serial(lathe_rt*, body, ctx, n, grain)}:
 * {@code body(ctx, 0, n)} when {@code n > 0}. A runtime with one thread points
 * {@code rt->parallel_for} at it, so a parallel loop costs one indirect call instead of an
 * upcall into the JVM and a downcall back (the JIT's Java runtime; docs/backend-cpu.md).
 */
public final class SerialParallelFor {

    public static final String SYMBOL = "lathe_parallel_for_serial";

    private SerialParallelFor() {}

    public static void define(LlvmModule llvm) {
        LLVMModuleRef module = llvm.module();
        LLVMContextRef context = LLVMGetModuleContext(module);
        LLVMTypeRef i64 = LLVMInt64TypeInContext(context);
        LLVMTypeRef ptr = LLVMPointerTypeInContext(context, 0);
        LLVMTypeRef voidType = LLVMVoidTypeInContext(context);
        LLVMTypeRef bodyType = function(voidType, ptr, i64, i64);
        LLVMValueRef fn = LLVMAddFunction(module, SYMBOL, function(voidType, ptr, ptr, ptr, i64, i64));
        LLVMSetLinkage(fn, LLVMExternalLinkage);
        LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(context, fn, "entry");
        LLVMBasicBlockRef run = LLVMAppendBasicBlockInContext(context, fn, "run");
        LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(context, fn, "done");
        LLVMBuilderRef b = LLVMCreateBuilderInContext(context);
        try {
            LLVMPositionBuilderAtEnd(b, entry);
            LLVMValueRef n = LLVMGetParam(fn, 3);
            LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntSGT, n, LLVMConstInt(i64, 0, 1), ""), run, done);
            LLVMPositionBuilderAtEnd(b, run);
            try (PointerPointer<LLVMValueRef> args = new PointerPointer<>(
                    new LLVMValueRef[] {LLVMGetParam(fn, 2), LLVMConstInt(i64, 0, 1), n})) {
                LLVMBuildCall2(b, bodyType, LLVMGetParam(fn, 1), args, 3, "");
            }
            LLVMBuildBr(b, done);
            LLVMPositionBuilderAtEnd(b, done);
            LLVMBuildRetVoid(b);
        } finally {
            LLVMDisposeBuilder(b);
        }
    }

    private static LLVMTypeRef function(LLVMTypeRef result, LLVMTypeRef... params) {
        try (PointerPointer<LLVMTypeRef> p = new PointerPointer<>(params)) {
            return LLVMFunctionType(result, p, params.length, 0);
        }
    }
}
