package dev.lathe.runtime.tier0;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.interp.InterpreterException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Tier 0 runs the same kernels as the reference interpreter, so its results must be
 * bit-identical to it (no tolerance), from any number of threads.
 */
class Tier0Test {

    /** Several ops, a value used twice and one dead value (released early), two results. */
    static final String MODEL = """
            func.func @main(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x1xf32>) {
              %w = "nn.constant"() {value = dense<[[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [0.1, 0.2, 0.3]]> : tensor<3x3xf32>} : () -> tensor<3x3xf32>
              %0 = "nn.matmul"(%x, %w) : (tensor<?x3xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
              %1 = "nn.tanh"(%0) : (tensor<?x3xf32>) -> tensor<?x3xf32>
              %dead = "nn.exp"(%0) : (tensor<?x3xf32>) -> tensor<?x3xf32>
              %2 = "nn.mul"(%1, %0) : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
              %3 = "nn.reduce_sum"(%2) {axes = [1], keepdims = true} : (tensor<?x3xf32>) -> tensor<?x1xf32>
              func.return %2, %3 : tensor<?x3xf32>, tensor<?x1xf32>
            }
            """;

    static DenseElementsAttr input(int rows, double scale) {
        double[] v = new double[rows * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * 7) % 11 - 5) * scale;
        }
        return DenseElementsAttr.fromDoubles(TensorType.of(List.of((long) rows, 3L), ScalarType.F32), v);
    }

    static DenseElementsAttr input() {
        return input(4, 0.3);
    }

    @Test
    void matchesTheReferenceInterpreterBitForBit() {
        Module m = IRParser.parse(MODEL, "tier0.lir");
        Interpreter reference = new Interpreter(m);
        try (Tier0 t = Tier0.of(m, m.functions().getFirst())) {
            for (int rows : new int[] {1, 4, 7}) {
                DenseElementsAttr x = input(rows, 0.3);
                List<DenseElementsAttr> expected = reference.run("main", List.of(x));
                List<DenseElementsAttr> got = t.run(List.of(x));
                assertEquals(2, got.size());
                for (int i = 0; i < 2; i++) {
                    assertEquals(expected.get(i).type(), got.get(i).type());
                    assertArrayEquals(expected.get(i).toBytes(), got.get(i).toBytes(), "result " + i + ", rows " + rows);
                }
            }
            // The profile saw three shapes, once each.
            assertEquals(3, t.profile().callsByInputTypes().size());
            assertEquals(3, t.profile().totalCalls());
        }
    }

    @Test
    void concurrentCallsEachGetTheirOwnFrame() throws Exception {
        Module m = IRParser.parse(MODEL, "tier0.lir");
        Interpreter reference = new Interpreter(m);
        try (Tier0 t = Tier0.of(m, m.functions().getFirst())) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int thread = 0; thread < 4; thread++) {
                    DenseElementsAttr x = input(2 + thread, 0.1 * (thread + 1));
                    byte[] expected = reference.run("main", List.of(x)).get(1).toBytes();
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            assertArrayEquals(expected, t.run(List.of(x)).get(1).toBytes());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(200, t.profile().totalCalls());
            assertTrue(t.profile().callsByInputTypes().values().stream().allMatch(n -> n == 50));
        }
    }

    @Test
    void anOpFailureIsReportedAtTheOpAndTheCallThrowsTheOriginalKind() {
        // Gather with an index out of range: the reference semantics reject it.
        Module m = IRParser.parse("""
                func.func @main(%x: tensor<3xf32>, %i: tensor<1xi64>) -> tensor<1xf32> {
                  %0 = "nn.gather"(%x, %i) {axis = 0} : (tensor<3xf32>, tensor<1xi64>) -> tensor<1xf32>
                  func.return %0 : tensor<1xf32>
                }
                """, "bad.lir");
        try (Tier0 t = Tier0.of(m, m.functions().getFirst())) {
            DenseElementsAttr x = DenseElementsAttr.fromDoubles(TensorType.of(List.of(3L), ScalarType.F32), 1, 2, 3);
            DenseElementsAttr i = DenseElementsAttr.fromLongs(TensorType.of(List.of(1L), ScalarType.I64), 7);
            InterpreterException e = assertThrows(InterpreterException.class, () -> t.run(List.of(x, i)));
            assertTrue(e.getMessage().contains("'nn.gather'"), e.getMessage());
            // Still usable after a failed call.
            DenseElementsAttr ok = DenseElementsAttr.fromLongs(TensorType.of(List.of(1L), ScalarType.I64), 2);
            assertEquals(TensorType.of(List.of(1L), ScalarType.F32), t.run(List.of(x, ok)).getFirst().type());
        }
    }

    @Test
    void closedTierZeroRefusesCalls() {
        Module m = IRParser.parse(MODEL, "tier0.lir");
        Tier0 t = Tier0.of(m, m.functions().getFirst());
        t.close();
        t.close();
        assertThrows(IllegalStateException.class, () -> t.run(List.of(input())));
    }

    @Test
    void defaultBuildIsInterpreterOnly() {
        assertEquals("Interpreted", Tier0.implementationName());
    }
}
