package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Definitions of the libcalls LLVM emits for narrowing to bf16 when the CPU has no instruction
 * for it ({@code __truncsfbf2}, f32 to bf16, round to nearest even; NaN stays a quiet NaN). A JVM
 * process has no libgcc with them and Debian 12's libgcc lacks them too, so every module carries
 * its own, written with integer operations only. They are weak and hidden: a linker that finds
 * another definition keeps one, and an AOT library exports neither.
 */
final class SoftFloatSupport {

    private SoftFloatSupport() {}

    static void define(Ir ir) {
        LLVMTypeRef f32 = LLVMFloatTypeInContext(ir.context);
        LLVMTypeRef bf16 = LLVMBFloatTypeInContext(ir.context);
        LLVMTypeRef i32 = LLVMInt32TypeInContext(ir.context);
        LLVMTypeRef i16 = LLVMInt16TypeInContext(ir.context);
        LLVMValueRef fn = LLVMAddFunction(ir.module, "__truncsfbf2",
                LLVMFunctionType(bf16, new PointerPointer<>(1).put(0, f32), 1, 0));
        LLVMSetLinkage(fn, LLVMWeakAnyLinkage);
        LLVMSetVisibility(fn, LLVMHiddenVisibility);
        LLVMBuilderRef b = LLVMCreateBuilderInContext(ir.context);
        try {
            LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(ir.context, fn, "entry");
            LLVMPositionBuilderAtEnd(b, entry);
            LLVMValueRef x = LLVMGetParam(fn, 0);
            LLVMValueRef bits = LLVMBuildBitCast(b, x, i32, "");
            LLVMValueRef high = LLVMBuildLShr(b, bits, LLVMConstInt(i32, 16, 0), "");
            // Adding 0x7fff plus the kept lowest bit rounds to nearest, ties to even.
            LLVMValueRef lsb = LLVMBuildAnd(b, high, LLVMConstInt(i32, 1, 0), "");
            LLVMValueRef bias = LLVMBuildAdd(b, LLVMConstInt(i32, 0x7fff, 0), lsb, "");
            LLVMValueRef rounded = LLVMBuildLShr(b, LLVMBuildAdd(b, bits, bias, ""), LLVMConstInt(i32, 16, 0), "");
            LLVMValueRef quietNan = LLVMBuildOr(b, high, LLVMConstInt(i32, 0x40, 0), "");
            LLVMValueRef isNan = LLVMBuildFCmp(b, LLVMRealUNO, x, x, "");
            LLVMValueRef result = LLVMBuildSelect(b, isNan, quietNan, rounded, "");
            LLVMBuildRet(b, LLVMBuildBitCast(b, LLVMBuildTrunc(b, result, i16, ""), bf16, ""));
        } finally {
            LLVMDisposeBuilder(b);
        }
    }
}
