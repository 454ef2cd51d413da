package dev.lathe.backend.cpu.codegen;

import org.bytedeco.llvm.LLVM.LLVMTypeRef;

/**
 * The C ABI of a compiled model (docs/backend-cpu.md): {@code lathe_main} and {@code struct
 * lathe_rt}. The JIT's Java runtime and the AOT C runtime implement the same layout.
 */
public final class RuntimeAbi {

    public static final String ENTRY = "lathe_main";
    /** Field numbers of {@code struct lathe_rt { parallel_for; int32_t error; }}. */
    static final int RT_PARALLEL_FOR = 0;
    static final int RT_ERROR = 1;

    private RuntimeAbi() {}

    static LLVMTypeRef rtType(Ir ir) {
        return ir.struct(ir.types.ptr, ir.types.i32);
    }

    /** {@code void (*)(lathe_rt*, void (*body)(void*, int64_t, int64_t), void* ctx, int64_t n, int64_t grain)}. */
    static LLVMTypeRef parallelForType(Ir ir) {
        LlvmTypes t = ir.types;
        return ir.functionType(t.voidType, t.ptr, t.ptr, t.ptr, t.i64, t.i64);
    }

    /** {@code void body(void* ctx, int64_t begin, int64_t end)}. */
    static LLVMTypeRef bodyType(Ir ir) {
        LlvmTypes t = ir.types;
        return ir.functionType(t.voidType, t.ptr, t.i64, t.i64);
    }

    /** {@code int32_t lathe_main(void*const* inputs, void*const* outputs, const void* weights, void* workspace, lathe_rt* rt)}. */
    static LLVMTypeRef mainType(Ir ir) {
        LlvmTypes t = ir.types;
        return ir.functionType(t.i32, t.ptr, t.ptr, t.ptr, t.ptr, t.ptr);
    }
}
