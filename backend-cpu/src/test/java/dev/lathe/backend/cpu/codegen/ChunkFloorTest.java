package dev.lathe.backend.cpu.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.backend.cpu.Buffers;
import dev.lathe.backend.cpu.LoopIr;
import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.dialect.loop.LoopOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ChunkFloor}: the operation count of a parallel body and the least iterations a chunk
 * gets, and that a loop under the floor (run as one direct call) computes what the pool does.
 * The backend's tests run without the floor (pom.xml); these set it themselves.
 */
class ChunkFloorTest {

    /** y[i, j] = x[i, j] + 1 over N rows of 64, the row loop parallel, the column loop sequential. */
    private static Module addOne(int rows, String columnUpper) {
        return LoopIr.singleKernel("%x: memref<" + rows + "x64xf32>", "%y: memref<" + rows + "x64xf32>", """
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %rows = "loop.constant"() {value = ROWS : index} : () -> index
                  %c64 = "loop.constant"() {value = 64 : index} : () -> index
                  %one = "loop.constant"() {value = 1.0 : f32} : () -> f32
                  "loop.parallel"(%c0, %rows, %c1) ({
                  ^bb0(%i: index):
                    %n = "loop.min"(%c64, COLS) : (index, index) -> index
                    "loop.for"(%c0, %n, %c1) ({
                    ^bb1(%j: index):
                      %v = "loop.load"(%x, %i, %j) : (memref<ROWSx64xf32>, index, index) -> f32
                      %s = "loop.add"(%v, %one) : (f32, f32) -> f32
                      "loop.store"(%s, %y, %i, %j) : (f32, memref<ROWSx64xf32>, index, index) -> ()
                      "loop.yield"() : () -> ()
                    }) : (index, index, index) -> ()
                    "loop.yield"() : () -> ()
                  }) : (index, index, index) -> ()
                """.replace("ROWS", Integer.toString(rows)).replace("COLS", columnUpper));
    }

    private static Operation parallelLoop(Module m) {
        List<Operation> found = new ArrayList<>();
        m.walk(op -> {
            if (op.isA(LoopOps.PARALLEL)) {
                found.add(op);
            }
        });
        assertEquals(1, found.size());
        return found.getFirst();
    }

    @Test
    void countsNestedLoopsByTheirTripCount() {
        Operation p = parallelLoop(addOne(8, "%c64"));
        // min, for (1 + 64 x (load, add, store, yield)), yield: the min's bound is not a constant.
        assertEquals(1 + 1 + ChunkFloor.UNKNOWN_TRIPS * 4 + 1, ChunkFloor.ops(p.region(0).entryBlock()));
        withFloor("2048", () -> assertEquals((long) Math.ceil(2048.0 / 67), ChunkFloor.iterations(p)));
        withFloor("0", () -> assertEquals(1, ChunkFloor.iterations(p)));
    }

    @Test
    void aLoopUnderTheFloorComputesWhatThePoolDoes() {
        for (int rows : new int[] {1, 3, 37}) {
            float[] x = new float[rows * 64];
            for (int i = 0; i < x.length; i++) {
                x[i] = i * 0.5f - 7;
            }
            float[] expected = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = x[i] + 1;
            }
            for (String floor : new String[] {"0", "2048", "1000000"}) {
                withFloor(floor, () -> {
                    try (NativeModel model = JitCompiler.compile(addOne(rows, "%c64"), JitCompiler.Options.defaults().withThreads(2));
                            Arena a = Arena.ofConfined()) {
                        MemorySegment out = Buffers.zeros(a, x.length * 4L);
                        for (int call = 0; call < 3; call++) {
                            model.run(new MemorySegment[] {Buffers.floats(a, x)}, new MemorySegment[] {out});
                            assertArrayEquals(expected, Buffers.toFloats(out, x.length), "rows " + rows + ", floor " + floor);
                        }
                    }
                });
            }
        }
    }

    private static void withFloor(String ops, Runnable r) {
        String before = System.getProperty("lathe.minChunkOps");
        System.setProperty("lathe.minChunkOps", ops);
        try {
            r.run();
        } finally {
            if (before == null) {
                System.clearProperty("lathe.minChunkOps");
            } else {
                System.setProperty("lathe.minChunkOps", before);
            }
        }
    }
}
