package dev.lathe.backend.cpu.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.backend.cpu.Buffers;
import dev.lathe.backend.cpu.LoopIr;
import dev.lathe.backend.cpu.ModelAssertionException;
import dev.lathe.ir.Module;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class JitEndToEndTest {

    private static final String RELU = """
            func.func @k0_relu(%x: memref<4x16xf32>, %y: memref<4x16xf32>) {
              %c0 = "loop.constant"() {value = 0 : index} : () -> index
              %c1 = "loop.constant"() {value = 1 : index} : () -> index
              %c4 = "loop.constant"() {value = 4 : index} : () -> index
              %zero = "loop.constant"() {value = 0.0 : f32} : () -> vector<16xf32>
              "loop.parallel"(%c0, %c4, %c1) ({
              ^bb0(%i: index):
                %v = "loop.vload"(%x, %i, %c0) : (memref<4x16xf32>, index, index) -> vector<16xf32>
                %r = "loop.max"(%v, %zero) : (vector<16xf32>, vector<16xf32>) -> vector<16xf32>
                "loop.vstore"(%r, %y, %i, %c0) : (vector<16xf32>, memref<4x16xf32>, index, index) -> ()
                "loop.yield"() : () -> ()
              }) : (index, index, index) -> ()
              func.return
            }
            func.func @main(%x: memref<4x16xf32>, %y: memref<4x16xf32>) attributes {inputs = ["x"], outputs = ["y"]} {
              func.call @k0_relu(%x, %y) : (memref<4x16xf32>, memref<4x16xf32>) -> ()
              func.return
            }
            """;

    @Test
    void reluOfTheLoopDialectExampleMatchesJava() {
        Module m = LoopIr.parse(RELU);
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) - 3.5f;
        }
        try (NativeModel model = JitCompiler.compile(m, JitCompiler.Options.defaults().withThreads(2));
                Arena a = Arena.ofConfined()) {
            MemorySegment out = Buffers.zeros(a, 64 * 4);
            model.run(new MemorySegment[] {Buffers.floats(a, x)}, new MemorySegment[] {out});
            float[] expected = new float[64];
            for (int i = 0; i < 64; i++) {
                expected[i] = Math.max(x[i], 0f);
            }
            assertArrayEquals(expected, Buffers.toFloats(out, 64));
        }
    }

    @Test
    void sumWithIterArgsAndAssert() {
        Module m = LoopIr.singleKernel("%x: memref<8xf32>", "%out: memref<f32>", """
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %c8 = "loop.constant"() {value = 8 : index} : () -> index
                  %init = "loop.constant"() {value = 0.0 : f32} : () -> f32
                  %s = "loop.for"(%c0, %c8, %c1, %init) ({
                  ^bb0(%i: index, %acc: f32):
                    %v = "loop.load"(%x, %i) : (memref<8xf32>, index) -> f32
                    %a = "loop.add"(%acc, %v) : (f32, f32) -> f32
                    "loop.yield"(%a) : (f32) -> ()
                  }) : (index, index, index, f32) -> f32
                  %pos = "loop.cmp"(%s, %init) {predicate = "gt"} : (f32, f32) -> i1
                  "loop.assert"(%pos) {message = "sum must be positive"} : (i1) -> ()
                  "loop.store"(%s, %out) : (f32, memref<f32>) -> ()
                """);
        try (NativeModel model = JitCompiler.compile(m, JitCompiler.Options.defaults().withThreads(1));
                Arena a = Arena.ofConfined()) {
            MemorySegment out = Buffers.zeros(a, 4);
            model.run(new MemorySegment[] {Buffers.floats(a, 1, 2, 3, 4, 5, 6, 7, 8.5f)}, new MemorySegment[] {out});
            assertEquals(36.5f, Buffers.toFloats(out, 1)[0]);

            ModelAssertionException e = assertThrows(ModelAssertionException.class, () -> model.run(
                    new MemorySegment[] {Buffers.floats(a, -1, -2, -3, -4, -5, -6, -7, -8)}, new MemorySegment[] {out}));
            assertEquals("sum must be positive", e.getMessage());
            assertEquals(1, e.code());
            // Execution continued past the failed assertion.
            assertEquals(-36f, Buffers.toFloats(out, 1)[0]);
        }
    }
}
