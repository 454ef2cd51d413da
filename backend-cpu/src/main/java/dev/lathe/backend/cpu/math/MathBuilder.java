package dev.lathe.backend.cpu.math;

import static org.bytedeco.llvm.global.LLVM.*;

import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Emits straight-line f32 arithmetic for one value type, scalar {@code float} or
 * {@code <N x float>}, so a kernel reads like the formula it implements. Constants are splatted to
 * the vector width; integer views of the bits use {@code i32} or {@code <N x i32>}.
 *
 * <p>Multiply-adds go through {@code llvm.fmuladd}: fused where the target has FMA, two rounded
 * operations elsewhere. No fast-math flags are set, so LLVM keeps IEEE semantics (NaN, signed
 * zeros, infinities) and scalar and vector code round identically.
 */
final class MathBuilder {

  private final LLVMModuleRef module;
  private final LLVMBuilderRef builder;
  private final LLVMTypeRef floatType;
  private final LLVMTypeRef intType;
  private final int lanes; // 0 for a scalar

  MathBuilder(LLVMModuleRef module, LLVMBuilderRef builder, LLVMTypeRef floatType) {
    this.module = module;
    this.builder = builder;
    this.floatType = floatType;
    var context = LLVMGetTypeContext(floatType);
    if (LLVMGetTypeKind(floatType) == LLVMVectorTypeKind) {
      this.lanes = LLVMGetVectorSize(floatType);
      this.intType = LLVMVectorType(LLVMInt32TypeInContext(context), lanes);
    } else {
      this.lanes = 0;
      this.intType = LLVMInt32TypeInContext(context);
    }
  }

  // ---- constants ----

  LLVMValueRef f(float value) {
    return splat(LLVMConstReal(scalarOf(floatType), value));
  }

  LLVMValueRef i(int value) {
    return splat(LLVMConstInt(scalarOf(intType), value & 0xffffffffL, 1));
  }

  private LLVMValueRef splat(LLVMValueRef scalar) {
    if (lanes == 0) {
      return scalar;
    }
    try (var elements = new PointerPointer<LLVMValueRef>(lanes)) {
      for (int lane = 0; lane < lanes; lane++) {
        elements.put(lane, scalar);
      }
      return LLVMConstVector(elements, lanes);
    }
  }

  private static LLVMTypeRef scalarOf(LLVMTypeRef type) {
    return LLVMGetTypeKind(type) == LLVMVectorTypeKind ? LLVMGetElementType(type) : type;
  }

  // ---- float arithmetic ----

  LLVMValueRef add(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildFAdd(builder, a, b, "");
  }

  LLVMValueRef sub(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildFSub(builder, a, b, "");
  }

  LLVMValueRef mul(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildFMul(builder, a, b, "");
  }

  LLVMValueRef div(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildFDiv(builder, a, b, "");
  }

  LLVMValueRef neg(LLVMValueRef a) {
    return LLVMBuildFNeg(builder, a, "");
  }

  /** {@code a * b + c}. */
  LLVMValueRef mulAdd(LLVMValueRef a, LLVMValueRef b, LLVMValueRef c) {
    return intrinsic("llvm.fmuladd", a, b, c);
  }

  LLVMValueRef abs(LLVMValueRef a) {
    return intrinsic("llvm.fabs", a);
  }

  /** The magnitude of {@code magnitude} with the sign bit of {@code sign}. */
  LLVMValueRef copySign(LLVMValueRef magnitude, LLVMValueRef sign) {
    return intrinsic("llvm.copysign", magnitude, sign);
  }

  /** {@code c[0] + x*(c[1] + x*(c[2] + ...))}, Horner's scheme with multiply-adds. */
  LLVMValueRef polynomial(LLVMValueRef x, float... coefficients) {
    LLVMValueRef acc = f(coefficients[coefficients.length - 1]);
    for (int k = coefficients.length - 2; k >= 0; k--) {
      acc = mulAdd(acc, x, f(coefficients[k]));
    }
    return acc;
  }

  // ---- comparisons and selection (ordered compares are false for NaN) ----

  LLVMValueRef lt(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildFCmp(builder, LLVMRealOLT, a, b, "");
  }

  LLVMValueRef gt(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildFCmp(builder, LLVMRealOGT, a, b, "");
  }

  LLVMValueRef eq(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildFCmp(builder, LLVMRealOEQ, a, b, "");
  }

  /** True where {@code a} is NaN or {@code a >= b}. */
  LLVMValueRef notLt(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildFCmp(builder, LLVMRealUGE, a, b, "");
  }

  LLVMValueRef select(LLVMValueRef condition, LLVMValueRef ifTrue, LLVMValueRef ifFalse) {
    return LLVMBuildSelect(builder, condition, ifTrue, ifFalse, "");
  }

  // ---- the bits of a float ----

  LLVMValueRef bits(LLVMValueRef a) {
    return LLVMBuildBitCast(builder, a, intType, "");
  }

  LLVMValueRef fromBits(LLVMValueRef a) {
    return LLVMBuildBitCast(builder, a, floatType, "");
  }

  LLVMValueRef iadd(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildAdd(builder, a, b, "");
  }

  LLVMValueRef isub(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildSub(builder, a, b, "");
  }

  LLVMValueRef and(LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildAnd(builder, a, b, "");
  }

  LLVMValueRef shl(LLVMValueRef a, int amount) {
    return LLVMBuildShl(builder, a, i(amount), "");
  }

  /** Arithmetic (sign-propagating) right shift. */
  LLVMValueRef ashr(LLVMValueRef a, int amount) {
    return LLVMBuildAShr(builder, a, i(amount), "");
  }

  LLVMValueRef toFloat(LLVMValueRef a) {
    return LLVMBuildSIToFP(builder, a, floatType, "");
  }

  private LLVMValueRef intrinsic(String name, LLVMValueRef... args) {
    int id = LLVMLookupIntrinsicID(name, name.length());
    try (var overload = new PointerPointer<LLVMTypeRef>(1);
        var argv = new PointerPointer<LLVMValueRef>(args.length)) {
      overload.put(0, floatType);
      for (int k = 0; k < args.length; k++) {
        argv.put(k, args[k]);
      }
      LLVMValueRef callee = LLVMGetIntrinsicDeclaration(module, id, overload, 1);
      LLVMTypeRef type = LLVMIntrinsicGetType(LLVMGetTypeContext(floatType), id, overload, 1);
      return LLVMBuildCall2(builder, type, callee, argv, args.length, "");
    }
  }
}
