package dev.lathe.backend.cpu.math;

import static org.bytedeco.llvm.global.LLVM.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITRef;
import org.bytedeco.llvm.LLVM.LLVMOrcThreadSafeContextRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * A test-only LLJIT harness: for each (fn, width) it compiles {@code void fn_wW(const float *in,
 * float *out, int64_t n)} applying {@link VectorMath#emit} to {@code <W x float>} chunks (W = 1:
 * scalar {@code float}), and calls it through {@code java.lang.foreign}.
 */
final class MathJit implements AutoCloseable {

  record Variant(String fn, int width) {
    String symbol() {
      return fn + "_w" + width;
    }
  }

  static {
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
  }

  private final LLVMOrcThreadSafeContextRef context;
  private final LLVMOrcLLJITRef jit;
  private final String ir;
  private final Map<Variant, MethodHandle> entries = new HashMap<>();

  /**
   * @param optimize run {@code default<O3>} for the host CPU before the JIT; otherwise the IR is
   *     compiled as emitted (the JIT's code generator still optimizes instruction selection).
   */
  MathJit(List<Variant> variants, boolean optimize) {
    context = LLVMOrcCreateNewThreadSafeContext();
    var ctx = LLVMOrcThreadSafeContextGetContext(context);
    LLVMModuleRef module = LLVMModuleCreateWithNameInContext("math_test", ctx);
    for (Variant variant : variants) {
      buildLoop(module, variant);
    }
    verify(module);
    if (optimize) {
      optimizeForHost(module);
    }
    BytePointer text = LLVMPrintModuleToString(module);
    ir = text.getString();
    LLVMDisposeMessage(text);

    jit = new LLVMOrcLLJITRef();
    check(LLVMOrcCreateLLJIT(jit, null), "creating the LLJIT");
    check(
        LLVMOrcLLJITAddLLVMIRModule(
            jit,
            LLVMOrcLLJITGetMainJITDylib(jit),
            LLVMOrcCreateNewThreadSafeModule(module, context)),
        "adding the module");
    var signature =
        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    for (Variant variant : variants) {
      long[] address = new long[1];
      check(LLVMOrcLLJITLookup(jit, address, variant.symbol()), "looking up " + variant.symbol());
      entries.put(
          variant,
          Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(address[0]), signature));
    }
  }

  /** Whether the host (and so the JIT's code) has fused multiply-add, which fuses llvm.fmuladd. */
  static boolean hostHasFma() {
    BytePointer features = LLVMGetHostCPUFeatures();
    try {
      return ("," + features.getString() + ",").contains(",+fma,");
    } finally {
      LLVMDisposeMessage(features);
    }
  }

  /** The module's IR text as handed to the JIT. */
  String ir() {
    return ir;
  }

  float[] apply(Variant variant, float[] input) {
    if (input.length % variant.width() != 0) {
      throw new IllegalArgumentException(
          input.length + " inputs are not a multiple of the width " + variant.width());
    }
    MethodHandle entry = entries.get(variant);
    if (entry == null) {
      throw new IllegalArgumentException(variant + " was not compiled");
    }
    try (Arena arena = Arena.ofConfined()) {
      long bytes = 4L * input.length;
      MemorySegment in = arena.allocate(bytes, 64);
      MemorySegment out = arena.allocate(bytes, 64);
      MemorySegment.copy(input, 0, in, ValueLayout.JAVA_FLOAT, 0, input.length);
      entry.invokeExact(in, out, (long) input.length);
      return out.toArray(ValueLayout.JAVA_FLOAT);
    } catch (Throwable e) {
      throw new AssertionError("calling " + variant.symbol() + " failed", e);
    }
  }

  @Override
  public void close() {
    LLVMOrcDisposeLLJIT(jit);
    LLVMOrcDisposeThreadSafeContext(context);
  }

  /** entry: br loop; loop: out[i..i+W) = fn(in[i..i+W)); i += W; i < n ? loop : exit. */
  private static void buildLoop(LLVMModuleRef module, Variant variant) {
    var ctx = LLVMGetModuleContext(module);
    LLVMTypeRef f32 = LLVMFloatTypeInContext(ctx);
    LLVMTypeRef i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);
    LLVMTypeRef value = variant.width() == 1 ? f32 : LLVMVectorType(f32, variant.width());
    LLVMValueRef function;
    try (var params = new PointerPointer<LLVMTypeRef>(ptr, ptr, i64)) {
      function =
          LLVMAddFunction(
              module, variant.symbol(), LLVMFunctionType(LLVMVoidTypeInContext(ctx), params, 3, 0));
    }
    var entry = LLVMAppendBasicBlockInContext(ctx, function, "entry");
    var loop = LLVMAppendBasicBlockInContext(ctx, function, "loop");
    var exit = LLVMAppendBasicBlockInContext(ctx, function, "exit");
    var b = LLVMCreateBuilderInContext(ctx);
    LLVMPositionBuilderAtEnd(b, entry);
    LLVMBuildBr(b, loop);

    LLVMPositionBuilderAtEnd(b, loop);
    LLVMValueRef index = LLVMBuildPhi(b, i64, "i");
    LLVMValueRef x =
        LLVMBuildLoad2(b, value, elementAt(b, f32, LLVMGetParam(function, 0), index), "x");
    LLVMSetAlignment(x, 4);
    LLVMValueRef y = VectorMath.emit(module, b, variant.fn(), x);
    if (y == null) {
      throw new IllegalArgumentException("VectorMath does not emit " + variant);
    }
    LLVMSetAlignment(LLVMBuildStore(b, y, elementAt(b, f32, LLVMGetParam(function, 1), index)), 4);
    LLVMValueRef next =
        LLVMBuildAdd(b, index, LLVMConstInt(i64, variant.width(), 0), "next");
    LLVMValueRef more = LLVMBuildICmp(b, LLVMIntSLT, next, LLVMGetParam(function, 2), "");
    LLVMBuildCondBr(b, more, loop, exit);
    try (var values = new PointerPointer<LLVMValueRef>(LLVMConstInt(i64, 0, 0), next);
        var blocks = new PointerPointer<>(entry, loop)) {
      LLVMAddIncoming(index, values, blocks, 2);
    }

    LLVMPositionBuilderAtEnd(b, exit);
    LLVMBuildRetVoid(b);
    LLVMDisposeBuilder(b);
  }

  private static LLVMValueRef elementAt(
      LLVMBuilderRef b, LLVMTypeRef f32, LLVMValueRef base, LLVMValueRef i) {
    // Not `new PointerPointer<>(i)`: with one argument that is JavaCPP's cast constructor.
    try (var indices = new PointerPointer<LLVMValueRef>(1).put(0, i)) {
      return LLVMBuildInBoundsGEP2(b, f32, base, indices, 1, "");
    }
  }

  private static void verify(LLVMModuleRef module) {
    var message = new BytePointer();
    if (LLVMVerifyModule(module, LLVMReturnStatusAction, message) != 0) {
      String text = message.getString();
      LLVMDisposeMessage(message);
      throw new AssertionError("emitted module does not verify: " + text);
    }
    LLVMDisposeMessage(message);
  }

  private static void optimizeForHost(LLVMModuleRef module) {
    BytePointer triple = LLVMGetDefaultTargetTriple();
    BytePointer cpu = LLVMGetHostCPUName();
    BytePointer features = LLVMGetHostCPUFeatures();
    var target = new LLVMTargetRef();
    var error = new BytePointer();
    if (LLVMGetTargetFromTriple(triple, target, error) != 0) {
      throw new AssertionError("no target for " + triple.getString() + ": " + error.getString());
    }
    LLVMTargetMachineRef machine =
        LLVMCreateTargetMachine(
            target, triple, cpu, features, LLVMCodeGenLevelAggressive, LLVMRelocDefault,
            LLVMCodeModelJITDefault);
    LLVMSetTarget(module, triple);
    var layout = LLVMCreateTargetDataLayout(machine);
    LLVMSetModuleDataLayout(module, layout);
    var options = LLVMCreatePassBuilderOptions();
    check(LLVMRunPasses(module, "default<O3>", machine, options), "running default<O3>");
    LLVMDisposePassBuilderOptions(options);
    LLVMDisposeTargetData(layout);
    LLVMDisposeTargetMachine(machine);
    LLVMDisposeMessage(triple);
    LLVMDisposeMessage(cpu);
    LLVMDisposeMessage(features);
  }

  private static void check(LLVMErrorRef error, String what) {
    if (error != null && !error.isNull()) {
      BytePointer message = LLVMGetErrorMessage(error);
      String text = message.getString();
      LLVMDisposeErrorMessage(message);
      throw new AssertionError(what + " failed: " + text);
    }
  }
}
