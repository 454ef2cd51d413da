package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;

/**
 * Lathe types as LLVM types. In registers an element is its natural LLVM type (f16 is
 * {@code half}, bf16 {@code bfloat}, unsigned integers are plain iN, index is i64, i1 is i1);
 * in memory i1 takes a byte, so loads truncate and stores zero-extend. A memref is a pointer.
 */
final class LlvmTypes {

    final LLVMTypeRef i1;
    final LLVMTypeRef i8;
    final LLVMTypeRef i32;
    final LLVMTypeRef i64;
    final LLVMTypeRef f32;
    final LLVMTypeRef ptr;
    final LLVMTypeRef voidType;
    private final LLVMContextRef context;

    LlvmTypes(LLVMContextRef context) {
        this.context = context;
        i1 = LLVMInt1TypeInContext(context);
        i8 = LLVMInt8TypeInContext(context);
        i32 = LLVMInt32TypeInContext(context);
        i64 = LLVMInt64TypeInContext(context);
        f32 = LLVMFloatTypeInContext(context);
        ptr = LLVMPointerTypeInContext(context, 0);
        voidType = LLVMVoidTypeInContext(context);
    }

    LLVMTypeRef scalar(ScalarType t) {
        return switch (t) {
            case F64 -> LLVMDoubleTypeInContext(context);
            case F32 -> f32;
            case F16 -> LLVMHalfTypeInContext(context);
            case BF16 -> LLVMBFloatTypeInContext(context);
            case I64, U64, INDEX -> i64;
            case I32, U32 -> i32;
            case I16, U16 -> LLVMInt16TypeInContext(context);
            case I8, U8 -> i8;
            case I1 -> i1;
        };
    }

    /** The register type of a scalar, vector or memref value. */
    LLVMTypeRef of(Type t) {
        return switch (t) {
            case ScalarType s -> scalar(s);
            case VectorType v -> LLVMVectorType(scalar(v.elementType()), v.length());
            case MemRefType m -> ptr;
            default -> throw new CodegenException("the CPU backend has no LLVM type for " + t.text());
        };
    }

    /** How an element or vector of elements is laid out in memory (i1 as a byte). */
    LLVMTypeRef memoryElement(ScalarType t) {
        return t == ScalarType.I1 ? i8 : scalar(t);
    }

    LLVMTypeRef memoryOf(Type t) {
        return switch (t) {
            case ScalarType s -> memoryElement(s);
            case VectorType v -> LLVMVectorType(memoryElement(v.elementType()), v.length());
            default -> of(t);
        };
    }

    /** {@code like} with its element type replaced: a scalar, or a vector of the same length. */
    LLVMTypeRef withElement(Type like, ScalarType element) {
        return of(VectorType.withElement(like, element));
    }
}
