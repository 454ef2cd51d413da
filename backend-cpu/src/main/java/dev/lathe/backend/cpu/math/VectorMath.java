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
 * <p>Measured accuracy, in ulps of the exact result (a correctly rounded one is within 0.5). On
 * a host with FMA the numbers come from exhaustive runs over every f32 input that is not
 * saturated (exp: all of [-104, 89]; log: every positive float; tanh, erf: every float in [0, 9.1]
 * and [0, 4], the negative half being exact by copysign) against StrictMath in double (erf: a
 * double-precision series). Without FMA {@code llvm.fmuladd} rounds twice; those numbers are from
 * the ~2.4e6-point sweeps of {@code VectorMathAccuracyTest}, which asserts both sets.
 *
 * <table>
 *   <caption>Maximum error of each function</caption>
 *   <tr><th>fn</th><th>FMA</th><th>no FMA</th><th>edges</th></tr>
 *   <tr><td>exp</td><td>0.875 ulp</td><td>0.87 ulp</td><td>+Inf for x &gt; 88.7228; denormal
 *       results rounded once; +0 for x &lt; -103.9721</td></tr>
 *   <tr><td>log</td><td>0.843 ulp</td><td>0.83 ulp</td><td>±0: -Inf; x &lt; 0: NaN; +Inf: +Inf;
 *       denormal inputs within the same bound</td></tr>
 *   <tr><td>tanh</td><td>1.03 ulp (0.975 for |x| &lt; 1)</td><td>1.04 ulp</td><td>±0 keeps its
 *       sign; ±1 from |x| ≈ 9.01 on</td></tr>
 *   <tr><td>erf</td><td>6.06e-8 absolute; 0.997 ulp for |x| &lt; 1</td><td>7.5e-8 absolute;
 *       1.26 ulp for |x| &lt; 1</td><td>±0 keeps its sign; ±1 for |x| &gt; 3.9192</td></tr>
 * </table>
 *
 * NaN gives NaN everywhere. Scalar and vector code give the same bits lane by lane, and LLVM's O3
 * pipeline leaves them unchanged (no fast-math flags are set).
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
    if (kind == LLVMVectorTypeKind
        && LLVMGetTypeKind(LLVMGetElementType(type)) == LLVMFloatTypeKind) {
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
