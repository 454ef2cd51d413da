package dev.lathe.backend.cpu.math;

import static org.bytedeco.llvm.global.LLVM.*;

import java.util.Map;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Lathe's own f32 {@code exp}, {@code log}, {@code tanh} and {@code erf} as branch-free LLVM IR,
 * for {@code float} and any fixed {@code <N x float>}, so loops calling them vectorize (libm calls
 * would not). Each function/type pair becomes one internal, {@code alwaysinline} function in the
 * module ({@code lathe.exp.f32}, {@code lathe.tanh.v16f32}, ...), created on first use.
 *
 * <p>Measured accuracy (against StrictMath, or a double-precision erf series, over more than 10^6
 * points spanning each function's whole f32 domain plus specials; asserted by {@code
 * VectorMathTest} with these bounds; host with FMA, LLVM codegen of the IR as emitted):
 *
 * <table>
 *   <caption>Maximum error of each function</caption>
 *   <tr><th>fn</th><th>max error</th><th>specials</th></tr>
 *   <tr><td>exp</td><td>1 ulp (normal results; denormal results within 1 ulp of the denormal
 *       grid)</td><td>x > 88.72: +Inf; x < -103.97: +0; NaN: NaN</td></tr>
 *   <tr><td>log</td><td>1 ulp</td><td>±0: -Inf; x < 0: NaN; +Inf: +Inf; NaN: NaN</td></tr>
 *   <tr><td>tanh</td><td>2 ulp</td><td>±0 keeps its sign; |x| > 9.01: ±1; NaN: NaN</td></tr>
 *   <tr><td>erf</td><td>absolute 1e-7 everywhere; 1 ulp for |x| < 1</td><td>±0 keeps its
 *       sign; |x| > 3.92: ±1; NaN: NaN</td></tr>
 * </table>
 *
 * <p>The algorithms are in {@link ExpKernel}, {@link LogKernel}, {@link TanhKernel} and {@link
 * ErfKernel}; polynomial coefficients were fitted offline (near-minimax, Lawson's iteratively
 * reweighted least squares against 40-digit references) and rounded to f32.
 */
public final class VectorMath {

  /** Emits the body of one function for the value type its {@link MathBuilder} was made for. */
  @FunctionalInterface
  interface Kernel {
    LLVMValueRef emit(MathBuilder b, LLVMValueRef x);
  }

  private static final Map<String, Kernel> KERNELS =
      Map.of(
          "exp", ExpKernel::emit,
          "log", LogKernel::emit,
          "tanh", TanhKernel::emit,
          "erf", ErfKernel::emit);

  private VectorMath() {}

  /**
   * Emits {@code fn(x)} at the builder's position as a call to Lathe's implementation.
   *
   * @return the result, or null when {@code fn} is not one of exp, log, tanh, erf or {@code x} is
   *     not f32 or a fixed-width vector of f32; the caller then falls back to libm.
   */
  public static LLVMValueRef emit(
      LLVMModuleRef module, LLVMBuilderRef builder, String fn, LLVMValueRef x) {
    Kernel kernel = KERNELS.get(fn);
    LLVMTypeRef type = LLVMTypeOf(x);
    String suffix = typeSuffix(type);
    if (kernel == null || suffix == null) {
      return null;
    }
    LLVMValueRef callee = functionFor(module, "lathe." + fn + "." + suffix, type, kernel);
    try (var args = new PointerPointer<LLVMValueRef>(1)) {
      args.put(0, x);
      return LLVMBuildCall2(builder, LLVMGlobalGetValueType(callee), callee, args, 1, "");
    }
  }

  /** "f32", "v16f32", or null for any type this class does not implement. */
  private static String typeSuffix(LLVMTypeRef type) {
    int kind = LLVMGetTypeKind(type);
    if (kind == LLVMFloatTypeKind) {
      return "f32";
    }
    if (kind == LLVMVectorTypeKind && LLVMGetTypeKind(LLVMGetElementType(type)) == LLVMFloatTypeKind) {
      return "v" + LLVMGetVectorSize(type) + "f32";
    }
    return null;
  }

  private static LLVMValueRef functionFor(
      LLVMModuleRef module, String name, LLVMTypeRef type, Kernel kernel) {
    LLVMValueRef existing = LLVMGetNamedFunction(module, name);
    if (existing != null && !existing.isNull()) {
      return existing;
    }
    var context = LLVMGetTypeContext(type);
    LLVMValueRef function = LLVMAddFunction(module, name, LLVMFunctionType(type, type, 1, 0));
    LLVMSetLinkage(function, LLVMInternalLinkage);
    addAttribute(function, "alwaysinline", 0);
    addAttribute(function, "nounwind", 0);
    addAttribute(function, "willreturn", 0);
    addAttribute(function, "memory", 0); // memory(none): pure arithmetic

    // A builder of our own: the caller's stays where it was.
    LLVMBuilderRef body = LLVMCreateBuilderInContext(context);
    try {
      LLVMPositionBuilderAtEnd(body, LLVMAppendBasicBlockInContext(context, function, "entry"));
      var math = new MathBuilder(module, body, type);
      LLVMBuildRet(body, kernel.emit(math, LLVMGetParam(function, 0)));
    } finally {
      LLVMDisposeBuilder(body);
    }
    return function;
  }

  private static void addAttribute(LLVMValueRef function, String name, long value) {
    int kind = LLVMGetEnumAttributeKindForName(name, name.length());
    var attribute = LLVMCreateEnumAttribute(LLVMGetTypeContext(LLVMTypeOf(function)), kind, value);
    LLVMAddAttributeAtIndex(function, LLVMAttributeFunctionIndex, attribute);
  }
}
