package dev.lathe.backend.cpu.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.Buffers;
import dev.lathe.backend.cpu.LoopIr;
import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.backend.cpu.llvm.Llvm;
import dev.lathe.backend.cpu.llvm.LlvmTarget;
import dev.lathe.ir.Module;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link ParallelOutliner} with values defined outside a {@code loop.parallel}: they reach the
 * outlined body through the context, except that a division by an outer {@code loop.constant}
 * divides by the constant itself ({@code ArithmeticEmitters}: LLVM turns it into multiplies and
 * shifts), and the body computes what it should.
 */
class ParallelOutlinerTest {

    /** y[i, j] = x[i, j] * scale + (j / 3) over 5 rows of 12, rows parallel; %c3 and %c12 defined outside. */
    private static Module kernel() {
        return LoopIr.singleKernel("%x: memref<5x12xf32>, %s: memref<1xf32>", "%y: memref<5x12xf32>", """
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %c3 = "loop.constant"() {value = 3 : index} : () -> index
                  %c5 = "loop.constant"() {value = 5 : index} : () -> index
                  %c12 = "loop.constant"() {value = 12 : index} : () -> index
                  %scale = "loop.load"(%s, %c0) : (memref<1xf32>, index) -> f32
                  "loop.parallel"(%c0, %c5, %c1) ({
                  ^bb0(%i: index):
                    "loop.for"(%c0, %c12, %c1) ({
                    ^bb1(%j: index):
                      %v = "loop.load"(%x, %i, %j) : (memref<5x12xf32>, index, index) -> f32
                      %q = "loop.div"(%j, %c3) : (index, index) -> index
                      %qf = "loop.cast"(%q) : (index) -> f32
                      %m = "loop.mul"(%v, %scale) : (f32, f32) -> f32
                      %r = "loop.add"(%m, %qf) : (f32, f32) -> f32
                      "loop.store"(%r, %y, %i, %j) : (f32, memref<5x12xf32>, index, index) -> ()
                      "loop.yield"() : () -> ()
                    }) : (index, index, index) -> ()
                    "loop.yield"() : () -> ()
                  }) : (index, index, index) -> ()
                """);
    }

    @Test
    void anOuterConstantDivisorIsAConstant() {
        try (LlvmTarget target = LlvmTarget.host(); LlvmModule ll = LoopToLlvm.translate(kernel(), target)) {
            String text = Llvm.print(ll.module());
            Matcher ctx = Pattern.compile("alloca \\{ ptr, i64, i64((?:, [^,}]+)*) }").matcher(text);
            assertTrue(ctx.find(), text);
            // After rt, lb, step the captures in first-use order: %c0, %c12, %c1, %x, %c3, %scale, %y.
            assertEquals(", i64, i64, i64, ptr, i64, float, ptr", ctx.group(1), text);
            String body = text.substring(text.indexOf("define internal void @"));
            assertFalse(Pattern.compile("sdiv i64 %[^,]+, %").matcher(body).find(),
                    "the division by 3 should divide by a constant:\n" + body);
        }
    }

    @Test
    void computesWhatItShould() {
        float[] x = new float[60];
        float[] expected = new float[60];
        for (int i = 0; i < 60; i++) {
            x[i] = i * 0.25f - 4;
            expected[i] = x[i] * 1.5f + (i % 12) / 3;
        }
        try (NativeModel model = JitCompiler.compile(kernel(), JitCompiler.Options.defaults().withThreads(2));
                Arena a = Arena.ofConfined()) {
            MemorySegment out = Buffers.zeros(a, 60 * 4L);
            model.run(new MemorySegment[] {Buffers.floats(a, x), Buffers.floats(a, new float[] {1.5f})},
                    new MemorySegment[] {out});
            assertArrayEquals(expected, Buffers.toFloats(out, 60));
        }
    }
}
