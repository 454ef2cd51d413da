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
 * The builder calls the emitters share, with Java arrays instead of JavaCPP pointer arrays:
 * calls of intrinsics and C functions, splats, in-bounds addressing, phis.
 */
final class Ir {

    final LLVMContextRef context;
    final LLVMModuleRef module;
    final LLVMBuilderRef builder;
    final LlvmTypes types;

    Ir(LLVMContextRef context, LLVMModuleRef module, LLVMBuilderRef builder) {
        this.context = context;
        this.module = module;
        this.builder = builder;
        this.types = new LlvmTypes(context);
    }

    LLVMValueRef call(LLVMTypeRef fnType, LLVMValueRef fn, LLVMValueRef... args) {
        try (PointerPointer<LLVMValueRef> a = new PointerPointer<>(args)) {
            return LLVMBuildCall2(builder, fnType, fn, a, args.length, "");
        }
    }

    /** Calls {@code llvm.NAME} overloaded on {@code overloads} (e.g. the operand type). */
    LLVMValueRef intrinsic(String name, LLVMTypeRef[] overloads, LLVMValueRef... args) {
        int id = LLVMLookupIntrinsicID("llvm." + name, ("llvm." + name).length());
        if (id == 0) {
            throw new CodegenException("LLVM has no intrinsic llvm." + name);
        }
        try (PointerPointer<LLVMTypeRef> o = new PointerPointer<>(overloads)) {
            LLVMValueRef fn = LLVMGetIntrinsicDeclaration(module, id, o, overloads.length);
            LLVMTypeRef fnType = LLVMIntrinsicGetType(context, id, o, overloads.length);
            return call(fnType, fn, args);
        }
    }

    /** An intrinsic overloaded on the type of its first argument: {@code llvm.fabs.v8f32(x)}. */
    LLVMValueRef intrinsic(String name, LLVMValueRef... args) {
        return intrinsic(name, new LLVMTypeRef[] {LLVMTypeOf(args[0])}, args);
    }

    /** Declares (once) and calls an external C function such as libm's {@code atan2f}. */
    LLVMValueRef callC(String name, LLVMTypeRef result, LLVMValueRef... args) {
        LLVMTypeRef[] params = new LLVMTypeRef[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = LLVMTypeOf(args[i]);
        }
        LLVMTypeRef fnType = functionType(result, params);
        LLVMValueRef fn = LLVMGetNamedFunction(module, name);
        if (fn == null || fn.isNull()) {
            fn = LLVMAddFunction(module, name, fnType);
        }
        return call(fnType, fn, args);
    }

    LLVMTypeRef functionType(LLVMTypeRef result, LLVMTypeRef... params) {
        try (PointerPointer<LLVMTypeRef> p = new PointerPointer<>(params)) {
            return LLVMFunctionType(result, p, params.length, 0);
        }
    }

    LLVMTypeRef struct(LLVMTypeRef... fields) {
        try (PointerPointer<LLVMTypeRef> f = new PointerPointer<>(fields)) {
            return LLVMStructTypeInContext(context, f, fields.length, 0);
        }
    }

    /** {@code &base[index]} for elements of {@code elementType}; the index must be in bounds. */
    LLVMValueRef elementPointer(LLVMTypeRef elementType, LLVMValueRef base, LLVMValueRef index) {
        // An explicit array: new PointerPointer<>(onePointer) would be the copy constructor.
        try (PointerPointer<LLVMValueRef> i = new PointerPointer<>(new LLVMValueRef[] {index})) {
            return LLVMBuildInBoundsGEP2(builder, elementType, base, i, 1, "");
        }
    }

    LLVMValueRef i64(long v) {
        return LLVMConstInt(types.i64, v, 1);
    }

    LLVMValueRef i32(long v) {
        return LLVMConstInt(types.i32, v, 1);
    }

    /** A vector with every lane {@code scalar}; constants fold to a constant vector. */
    LLVMValueRef splat(LLVMValueRef scalar, int lanes) {
        LLVMTypeRef vecType = LLVMVectorType(LLVMTypeOf(scalar), lanes);
        LLVMValueRef one = LLVMBuildInsertElement(builder, LLVMGetPoison(vecType), scalar, i32(0), "");
        return LLVMBuildShuffleVector(builder, one, LLVMGetPoison(vecType),
                LLVMConstNull(LLVMVectorType(types.i32, lanes)), "");
    }

    /** A scalar constant of {@code like}'s element type, splatted when {@code like} is a vector type. */
    LLVMValueRef constantLike(LLVMTypeRef like, LLVMValueRef scalarConstant) {
        if (LLVMGetTypeKind(like) != LLVMVectorTypeKind) {
            return scalarConstant;
        }
        int lanes = LLVMGetVectorSize(like);
        LLVMValueRef[] elems = new LLVMValueRef[lanes];
        java.util.Arrays.fill(elems, scalarConstant);
        try (PointerPointer<LLVMValueRef> e = new PointerPointer<>(elems)) {
            return LLVMConstVector(e, lanes);
        }
    }

    /** The integer constant {@code v} in type {@code like} (scalar or vector of iN). */
    LLVMValueRef intLike(LLVMTypeRef like, long v) {
        return constantLike(like, LLVMConstInt(elementType(like), v, 1));
    }

    LLVMValueRef floatLike(LLVMTypeRef like, double v) {
        return constantLike(like, LLVMConstReal(elementType(like), v));
    }

    static LLVMTypeRef elementType(LLVMTypeRef t) {
        return LLVMGetTypeKind(t) == LLVMVectorTypeKind ? LLVMGetElementType(t) : t;
    }

    LLVMBasicBlockRef appendBlock(LLVMValueRef fn, String name) {
        return LLVMAppendBasicBlockInContext(context, fn, name);
    }

    LLVMBasicBlockRef currentBlock() {
        return LLVMGetInsertBlock(builder);
    }

    void positionAtEnd(LLVMBasicBlockRef block) {
        LLVMPositionBuilderAtEnd(builder, block);
    }

    void addIncoming(LLVMValueRef phi, LLVMValueRef value, LLVMBasicBlockRef from) {
        try (PointerPointer<LLVMValueRef> v = new PointerPointer<>(new LLVMValueRef[] {value});
                PointerPointer<LLVMBasicBlockRef> b = new PointerPointer<>(new LLVMBasicBlockRef[] {from})) {
            LLVMAddIncoming(phi, v, b, 1);
        }
    }
}
