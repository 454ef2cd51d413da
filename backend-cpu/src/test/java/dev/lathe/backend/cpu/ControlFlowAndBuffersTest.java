package dev.lathe.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.codegen.LlvmModule;
import dev.lathe.backend.cpu.codegen.LoopToLlvm;
import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.backend.cpu.llvm.Llvm;
import dev.lathe.backend.cpu.llvm.LlvmTarget;
import dev.lathe.ir.Module;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Loops, conditionals, vectors, and the buffers of @main: weights, workspace, views. */
class ControlFlowAndBuffersTest {

    /** y[i] = i * 2 + x[i] for 4096 rows, in parallel with a grain of 64 (so many chunks on 2 threads). */
    @Test
    void parallelLoopOnTwoThreadsWritesEveryIterationOnce() {
        Module m = LoopIr.singleKernel("%x: memref<4096xi64>", "%y: memref<4096xi64>", """
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %c2 = "loop.constant"() {value = 2 : index} : () -> index
                  %n = "loop.constant"() {value = 4096 : index} : () -> index
                  "loop.parallel"(%c0, %n, %c1) ({
                  ^bb0(%i: index):
                    %v = "loop.load"(%x, %i) : (memref<4096xi64>, index) -> i64
                    %t = "loop.mul"(%i, %c2) : (index, index) -> index
                    %ti = "loop.cast"(%t) : (index) -> i64
                    %s = "loop.add"(%v, %ti) : (i64, i64) -> i64
                    "loop.store"(%s, %y, %i) : (i64, memref<4096xi64>, index) -> ()
                    "loop.yield"() : () -> ()
                  }) {grain = 64} : (index, index, index) -> ()
                """);
        long[] x = new long[4096];
        long[] expected = new long[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1000L * i;
            expected[i] = x[i] + 2L * i;
        }
        try (NativeModel model = JitCompiler.compile(m, JitCompiler.Options.defaults().withThreads(2));
                Arena a = Arena.ofConfined()) {
            for (int rep = 0; rep < 20; rep++) {
                MemorySegment[] out = Kernels.run(model, a, Buffers.longs(a, x));
                assertArrayEquals(expected, Buffers.toLongs(out[0], 4096));
            }
        }
    }

    /** A strided parallel loop (lb 1, step 3) with a nested parallel loop that runs sequentially. */
    @Test
    void stridedParallelWithNestedParallel() {
        Module m = LoopIr.singleKernel("", "%y: memref<10x4xi32>", """
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %c3 = "loop.constant"() {value = 3 : index} : () -> index
                  %c4 = "loop.constant"() {value = 4 : index} : () -> index
                  %c10 = "loop.constant"() {value = 10 : index} : () -> index
                  "loop.parallel"(%c1, %c10, %c3) ({
                  ^bb0(%i: index):
                    "loop.parallel"(%c0, %c4, %c1) ({
                    ^bb0(%j: index):
                      %s = "loop.add"(%i, %j) : (index, index) -> index
                      %v = "loop.cast"(%s) : (index) -> i32
                      "loop.store"(%v, %y, %i, %j) : (i32, memref<10x4xi32>, index, index) -> ()
                      "loop.yield"() : () -> ()
                    }) : (index, index, index) -> ()
                    "loop.yield"() : () -> ()
                  }) : (index, index, index) -> ()
                """);
        int[] expected = new int[40];
        for (int i = 1; i < 10; i += 3) {
            for (int j = 0; j < 4; j++) {
                expected[i * 4 + j] = i + j;
            }
        }
        try (NativeModel model = JitCompiler.compile(m, JitCompiler.Options.defaults().withThreads(2));
                Arena a = Arena.ofConfined()) {
            assertArrayEquals(expected, Buffers.toInts(Kernels.run(model, a)[0], 40));
        }
    }

    /** if/else with a result, a vector loop with reduce and broadcast, i1 vectors in memory, a stack buffer. */
    @Test
    void vectorsConditionalsAndStackBuffers() {
        Module m = LoopIr.singleKernel("%x: memref<2x8xf32>", "%sums: memref<2xf32>, %pos: memref<2x8xi1>, %big: memref<2xf32>", """
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %c2 = "loop.constant"() {value = 2 : index} : () -> index
                  %zero = "loop.constant"() {value = 0.0 : f32} : () -> f32
                  %ten = "loop.constant"() {value = 10.0 : f32} : () -> f32
                  %tmp = "loop.alloca"() : () -> memref<8xf32>
                  "loop.for"(%c0, %c2, %c1) ({
                  ^bb0(%r: index):
                    %v = "loop.vload"(%x, %r, %c0) : (memref<2x8xf32>, index, index) -> vector<8xf32>
                    %zv = "loop.broadcast"(%zero) : (f32) -> vector<8xf32>
                    %gt = "loop.cmp"(%v, %zv) {predicate = "gt"} : (vector<8xf32>, vector<8xf32>) -> vector<8xi1>
                    "loop.vstore"(%gt, %pos, %r, %c0) : (vector<8xi1>, memref<2x8xi1>, index, index) -> ()
                    "loop.vstore"(%v, %tmp, %c0) : (vector<8xf32>, memref<8xf32>, index) -> ()
                    %w = "loop.vload"(%tmp, %c0) : (memref<8xf32>, index) -> vector<8xf32>
                    %s = "loop.reduce"(%w) {kind = "add"} : (vector<8xf32>) -> f32
                    "loop.store"(%s, %sums, %r) : (f32, memref<2xf32>, index) -> ()
                    %isBig = "loop.cmp"(%s, %ten) {predicate = "gt"} : (f32, f32) -> i1
                    %b = "loop.if"(%isBig) ({
                      %m = "loop.reduce"(%w) {kind = "max"} : (vector<8xf32>) -> f32
                      "loop.yield"(%m) : (f32) -> ()
                    }, {
                      "loop.yield"(%zero) : (f32) -> ()
                    }) : (i1) -> f32
                    "loop.store"(%b, %big, %r) : (f32, memref<2xf32>, index) -> ()
                    "loop.yield"() : () -> ()
                  }) : (index, index, index) -> ()
                """);
        float[] x = {1, -2, 3, -4, 5, -6, 7, -8, /* row 1 */ 1, 2, 3, 4, 5, 6, 7, 8};
        try (Arena a = Arena.ofConfined()) {
            MemorySegment[] out = Kernels.run(m, a, Buffers.floats(a, x));
            assertArrayEquals(new float[] {-4, 36}, Buffers.toFloats(out[0], 2));
            assertArrayEquals(new byte[] {1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1}, Buffers.toBytes(out[1], 16));
            assertArrayEquals(new float[] {0, 8}, Buffers.toFloats(out[2], 2));
        }
    }

    /**
     * {@code loop.prefetch} becomes {@code llvm.prefetch} with its read/write and locality
     * arguments, changes nothing, and may name an address past the buffer (here 64 rows past it).
     */
    @Test
    void prefetchLowersToTheIntrinsicAndChangesNothing() {
        Module m = LoopIr.singleKernel("%x: memref<4x16xf32>", "%y: memref<4x16xf32>", """
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %c4 = "loop.constant"() {value = 4 : index} : () -> index
                  %c64 = "loop.constant"() {value = 64 : index} : () -> index
                  "loop.for"(%c0, %c4, %c1) ({
                  ^bb0(%r: index):
                    %far = "loop.add"(%r, %c64) : (index, index) -> index
                    "loop.prefetch"(%x, %far, %c0) {locality = 2} : (memref<4x16xf32>, index, index) -> ()
                    "loop.prefetch"(%y, %r, %c0) {write = true, locality = 0} : (memref<4x16xf32>, index, index) -> ()
                    %v = "loop.vload"(%x, %r, %c0) : (memref<4x16xf32>, index, index) -> vector<16xf32>
                    "loop.vstore"(%v, %y, %r, %c0) : (vector<16xf32>, memref<4x16xf32>, index, index) -> ()
                    "loop.yield"() : () -> ()
                  }) : (index, index, index) -> ()
                """);
        try (LlvmTarget target = LlvmTarget.host(); LlvmModule ll = LoopToLlvm.translate(m, target)) {
            String text = Llvm.print(ll.module());
            assertTrue(text.contains("i32 0, i32 2, i32 1)"), text);
            assertTrue(text.contains("i32 1, i32 0, i32 1)"), text);
            assertTrue(text.contains("declare void @llvm.prefetch.p0(ptr"), text);
        }
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 0.5f - 3;
        }
        try (Arena a = Arena.ofConfined()) {
            assertArrayEquals(x, Buffers.toFloats(Kernels.run(m, a, Buffers.floats(a, x))[0], 64));
        }
    }

    /** Two kernels pass data through the workspace; weights come inline and from the resource table; a view reshapes. */
    @Test
    void weightsWorkspaceAndViews() {
        String text = """
                func.func @k_add(%a: memref<2x2xf32>, %b: memref<2x2xf32>, %out: memref<2x2xf32>) {
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %c2 = "loop.constant"() {value = 2 : index} : () -> index
                  "loop.for"(%c0, %c2, %c1) ({
                  ^bb0(%i: index):
                    "loop.for"(%c0, %c2, %c1) ({
                    ^bb0(%j: index):
                      %x = "loop.load"(%a, %i, %j) : (memref<2x2xf32>, index, index) -> f32
                      %y = "loop.load"(%b, %i, %j) : (memref<2x2xf32>, index, index) -> f32
                      %s = "loop.add"(%x, %y) : (f32, f32) -> f32
                      "loop.store"(%s, %out, %i, %j) : (f32, memref<2x2xf32>, index, index) -> ()
                      "loop.yield"() : () -> ()
                    }) : (index, index, index) -> ()
                    "loop.yield"() : () -> ()
                  }) : (index, index, index) -> ()
                  func.return
                }
                func.func @main(%x: memref<4xf32>, %y: memref<2x2xf32>) attributes {inputs = ["x"], outputs = ["y"], workspace_size = 128 : i64} {
                  %xv = "loop.view"(%x) : (memref<4xf32>) -> memref<2x2xf32>
                  %w1 = "loop.weight"() {offset = 0 : i64, value = dense<[[10.0, 20.0], [30.0, 40.0]]> : tensor<2x2xf32>} : () -> memref<2x2xf32>
                  %w2 = "loop.weight"() {offset = 64 : i64, value = dense_resource<w> : tensor<2x2xf32>} : () -> memref<2x2xf32>
                  %t = "loop.alloc"() {offset = 64 : i64} : () -> memref<2x2xf32>
                  func.call @k_add(%xv, %w1, %t) : (memref<2x2xf32>, memref<2x2xf32>, memref<2x2xf32>) -> ()
                  func.call @k_add(%t, %w2, %y) : (memref<2x2xf32>, memref<2x2xf32>, memref<2x2xf32>) -> ()
                  func.return
                }

                {-#
                  dialect_resources: {
                    builtin: {
                      w: "0x100000000000803F000000400000404000008040"
                    }
                  }
                #-}
                """;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment[] out = Kernels.run(LoopIr.parse(text), a, Buffers.floats(a, 0.5f, 0.25f, 0.125f, 2f));
            assertArrayEquals(new float[] {11.5f, 22.25f, 33.125f, 46f}, Buffers.toFloats(out[0], 4));
        }
    }

    @Test
    void sameModelRunsConcurrentlyFromManyThreads() throws Exception {
        Module m = LoopIr.singleKernel("%x: memref<1024xf32>", "%y: memref<1024xf32>", """
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %n = "loop.constant"() {value = 1024 : index} : () -> index
                  "loop.parallel"(%c0, %n, %c1) ({
                  ^bb0(%i: index):
                    %v = "loop.load"(%x, %i) : (memref<1024xf32>, index) -> f32
                    %s = "loop.mul"(%v, %v) : (f32, f32) -> f32
                    "loop.store"(%s, %y, %i) : (f32, memref<1024xf32>, index) -> ()
                    "loop.yield"() : () -> ()
                  }) {grain = 16} : (index, index, index) -> ()
                """);
        try (NativeModel model = JitCompiler.compile(m, JitCompiler.Options.defaults().withThreads(3))) {
            java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                for (int t = 0; t < 4; t++) {
                    int seed = t;
                    futures.add(callers.submit(() -> {
                        try (Arena a = Arena.ofConfined()) {
                            for (int rep = 0; rep < 25; rep++) {
                                float[] x = new float[1024];
                                for (int i = 0; i < x.length; i++) {
                                    x[i] = seed + rep + i * 0.5f;
                                }
                                float[] y = Buffers.toFloats(Kernels.run(model, a, Buffers.floats(a, x))[0], 1024);
                                for (int i = 0; i < x.length; i++) {
                                    assertEquals(x[i] * x[i], y[i]);
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (var f : futures) {
                    f.get();
                }
            } finally {
                callers.shutdown();
            }
        }
    }
}
