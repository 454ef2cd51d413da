package dev.lathe.backend.cpu.math;

import static org.bytedeco.llvm.global.LLVM.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.math.MathJit.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link VectorMath} puts in a module, and what LLVM's O3 pipeline makes of it. */
class VectorMathEmitTest {

  private static final List<String> FUNCTIONS = List.of("exp", "log", "tanh", "erf");

  private LLVMContextRef context;
  private LLVMModuleRef module;
  private LLVMBuilderRef builder;
  private LLVMValueRef function;

  /** {@code void @f(float, double, <16 x float>, <4 x double>, <4 x i32>)}; builder in entry. */
  @BeforeEach
  void createFunction() {
    context = LLVMContextCreate();
    module = LLVMModuleCreateWithNameInContext("emit_test", context);
    LLVMTypeRef f32 = LLVMFloatTypeInContext(context);
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(context);
    try (var params =
        new PointerPointer<LLVMTypeRef>(
            f32, f64, LLVMVectorType(f32, 16), LLVMVectorType(f64, 4),
            LLVMVectorType(LLVMInt32TypeInContext(context), 4))) {
      function =
          LLVMAddFunction(
              module, "f", LLVMFunctionType(LLVMVoidTypeInContext(context), params, 5, 0));
    }
    builder = LLVMCreateBuilderInContext(context);
    LLVMPositionBuilderAtEnd(builder, LLVMAppendBasicBlockInContext(context, function, "entry"));
  }

  @AfterEach
  void dispose() {
    LLVMDisposeBuilder(builder);
    LLVMDisposeModule(module);
    LLVMContextDispose(context);
  }

  @Test
  void returnsNullForOtherFunctionsAndElementTypes() {
    assertNull(VectorMath.emit(module, builder, "sin", LLVMGetParam(function, 0)));
    assertNull(VectorMath.emit(module, builder, "expm1", LLVMGetParam(function, 2)));
    for (String fn : FUNCTIONS) {
      assertNull(VectorMath.emit(module, builder, fn, LLVMGetParam(function, 1)), fn + " f64");
      assertNull(VectorMath.emit(module, builder, fn, LLVMGetParam(function, 3)), fn + " v4f64");
      assertNull(VectorMath.emit(module, builder, fn, LLVMGetParam(function, 4)), fn + " v4i32");
    }
    assertFalse(print(module).contains("lathe."), "nothing is added to the module");
  }

  @Test
  void createsOneInternalAlwaysInlineFunctionPerFunctionAndType() {
    LLVMValueRef scalar = LLVMGetParam(function, 0);
    LLVMValueRef vector = LLVMGetParam(function, 2);
    for (String fn : FUNCTIONS) {
      assertNotNull(VectorMath.emit(module, builder, fn, scalar), fn);
      assertNotNull(VectorMath.emit(module, builder, fn, scalar), fn);
      assertNotNull(VectorMath.emit(module, builder, fn, vector), fn);
    }
    LLVMBuildRetVoid(builder);
    String ir = print(module);
    for (String fn : FUNCTIONS) {
      for (String suffix : List.of("f32", "v16f32")) {
        String name = "lathe." + fn + "." + suffix;
        LLVMValueRef callee = LLVMGetNamedFunction(module, name);
        assertTrue(callee != null && !callee.isNull(), name + " is defined");
        assertEquals(LLVMInternalLinkage, LLVMGetLinkage(callee), name + " linkage");
        assertEquals(1, count(ir, "define internal [^@\\n]*@" + Pattern.quote(name) + "\\("), name);
      }
      assertEquals(2, count(ir, "call float @" + Pattern.quote("lathe." + fn + ".f32") + "\\("));
    }
    assertTrue(ir.contains("alwaysinline"), ir);
    assertFalse(Pattern.compile("\\n\\s*br ").matcher(ir).find(), "branch-free:\n" + ir);
    assertVerifies(module);
  }

  /**
   * The point of the class: a scalar loop over these functions becomes vector code at O3 (libm
   * calls would keep it scalar), and the optimizer leaves every result bit as it was.
   */
  @Test
  void scalarLoopsVectorizeAtO3AndKeepTheirResults() {
    List<Variant> variants = new ArrayList<>();
    for (String fn : FUNCTIONS) {
      variants.add(new Variant(fn, 1));
    }
    float[] inputs = Sweep.of(Sweep.dense(-20f, 20f, 100_000), Sweep.allBitPatterns(65_537));
    try (MathJit plain = new MathJit(variants, false);
        MathJit optimized = new MathJit(variants, true)) {
      String ir = optimized.ir();
      for (String fn : FUNCTIONS) {
        String body = functionBody(ir, fn + "_w1");
        assertTrue(Pattern.compile("<\\d+ x float>").matcher(body).find(),
            fn + " loop is not vectorized:\n" + body);
        assertFalse(body.contains("@lathe."), fn + " call is not inlined:\n" + body);
        float[] expected = plain.apply(new Variant(fn, 1), inputs);
        float[] got = optimized.apply(new Variant(fn, 1), inputs);
        for (int k = 0; k < inputs.length; k++) {
          assertEquals(Float.floatToIntBits(expected[k]), Float.floatToIntBits(got[k]),
              fn + "(" + inputs[k] + ") changed by O3: " + expected[k] + " -> " + got[k]);
        }
      }
    }
  }

  private static String functionBody(String ir, String name) {
    int start = ir.indexOf("@" + name + "(");
    assertTrue(start >= 0, name + " missing from\n" + ir);
    return ir.substring(start, ir.indexOf("\n}", start));
  }

  private static int count(String text, String regex) {
    return (int) Pattern.compile(regex).matcher(text).results().count();
  }

  private static String print(LLVMModuleRef module) {
    BytePointer text = LLVMPrintModuleToString(module);
    try {
      return text.getString();
    } finally {
      LLVMDisposeMessage(text);
    }
  }

  private static void assertVerifies(LLVMModuleRef module) {
    var message = new BytePointer();
    int failed = LLVMVerifyModule(module, LLVMReturnStatusAction, message);
    String text = message.getString();
    LLVMDisposeMessage(message);
    assertEquals(0, failed, text);
  }
}
