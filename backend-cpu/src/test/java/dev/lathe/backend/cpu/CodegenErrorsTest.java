package dev.lathe.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.codegen.CodegenException;
import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** What the backend says about input it cannot compile or calls it cannot make. */
class CodegenErrorsTest {

    @Test
    void anUnloweredOpIsNamedWithItsLocation() {
        Module m = IRParser.parse("""
                func.func @main(%x: memref<4xf32>, %y: memref<4xf32>) attributes {inputs = ["x"], outputs = ["y"]} {
                  %r = "nn.relu"(%x) : (memref<4xf32>) -> memref<4xf32>
                  func.return
                }
                """, "bad.lir");
        CodegenException e = assertThrows(CodegenException.class, () -> CpuCodegen.compile(m, null, null));
        assertTrue(e.getMessage().startsWith("bad.lir:2:3: 'nn.relu'"), e.getMessage());
        assertTrue(e.getMessage().contains("run lower-to-loops first"), e.getMessage());
    }

    @Test
    void anAllocWithoutAPlannedOffsetAsksForPlanBuffers() {
        Module m = LoopIr.parse("""
                func.func @main(%x: memref<4xf32>) attributes {inputs = [], outputs = ["x"], workspace_size = 64 : i64} {
                  %a = "loop.alloc"() : () -> memref<4xf32>
                  func.return
                }
                """);
        CodegenException e = assertThrows(CodegenException.class, () -> CpuCodegen.compile(m, null, null));
        assertTrue(e.getMessage().contains("'loop.alloc'") && e.getMessage().contains("plan-buffers"), e.getMessage());
    }

    @Test
    void missingOutputNamesAreReported() {
        Module m = LoopIr.parse("""
                func.func @main(%x: memref<4xf32>) {
                  func.return
                }
                """);
        CodegenException e = assertThrows(CodegenException.class, () -> CpuCodegen.compile(m, null, null));
        assertTrue(e.getMessage().contains("'inputs'"), e.getMessage());
    }

    @Test
    void wrongBuffersAreRejectedBeforeTheCall() {
        try (NativeModel model = JitCompiler.compile(SampleModels.addWeightsThenDouble()); Arena a = Arena.ofConfined()) {
            MemorySegment small = Buffers.zeros(a, 16);
            MemorySegment ok = Buffers.zeros(a, 1024);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.run(new MemorySegment[] {small}, new MemorySegment[] {ok}));
            assertTrue(e.getMessage().contains("input 'x'") && e.getMessage().contains("1024 bytes"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.run(new MemorySegment[] {}, new MemorySegment[] {ok}));
        }
    }
}
