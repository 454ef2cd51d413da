package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.ir.Module;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.runtime.cache.CacheKeys;
import dev.lathe.runtime.cache.FunctionalHash;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache key follows what a graph computes, not how its text is written. */
class CacheKeyTest {

    private static final String GRAPH = """
            func.func @main(%x: tensor<2x4xf32>, %y: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
              %a = "nn.exp"(%x) : (tensor<2x4xf32>) -> tensor<2x4xf32>
              %b = "nn.tanh"(%y) : (tensor<2x4xf32>) -> tensor<2x4xf32>
              %c = "nn.add"(%a, %b) : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
              %d = "nn.mul"(%a, %b) : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
              func.return %c, %d : tensor<2x4xf32>, tensor<2x4xf32>
            }
            """;

    private static byte[] hash(String text) {
        Module m = TestModels.parse(text);
        return FunctionalHash.of(m, CpuBackend.entry(m));
    }

    @Test
    void renamedValuesKeepTheHash() {
        String renamed = GRAPH.replace("%x", "%input").replace("%y", "%other").replace("%a", "%e0").replace("%b", "%t1")
                .replace("%c", "%sum").replace("%d", "%prod");
        assertArrayEquals(hash(GRAPH), hash(renamed));
    }

    @Test
    void reorderedIndependentOpsKeepTheHash() {
        String[] lines = GRAPH.split("\n");
        // exp and tanh are independent; so are add and mul.
        String reordered = String.join("\n", lines[0], lines[2], lines[1], lines[4], lines[3], lines[5], lines[6]);
        assertArrayEquals(hash(GRAPH), hash(reordered));
    }

    @Test
    void changedWeightChangesTheHash() {
        String a = TestModels.dense("tensor<2x4xf32>", 1f);
        String b = TestModels.dense("tensor<2x4xf32>", 1.5f);
        assertFalse(Arrays.equals(hash(a), hash(b)));
    }

    @Test
    void swappedOperandsOrResultsChangeTheHash() {
        assertFalse(Arrays.equals(hash(GRAPH), hash(GRAPH.replace("\"nn.exp\"(%x)", "\"nn.exp\"(%y)")
                .replace("\"nn.tanh\"(%y)", "\"nn.tanh\"(%x)"))));
        assertFalse(Arrays.equals(hash(GRAPH), hash(GRAPH.replace("func.return %c, %d", "func.return %d, %c"))));
    }

    @Test
    void optionsTargetAndShapesChangeTheKey() {
        byte[] h = hash(GRAPH);
        List<TensorType> types = List.of(TensorType.of(ScalarType.F32, 2, 4), TensorType.of(ScalarType.F32, 2, 4));
        String base = CacheKeys.specialization(h, types, true, null);
        assertNotEquals(base, CacheKeys.specialization(h, types, false, null), "optimize");
        assertNotEquals(base, CacheKeys.specialization(h, types, true, "x86-64-v2"), "target cpu");
        assertNotEquals(CacheKeys.specialization(h, types, true, "x86-64-v3"),
                CacheKeys.specialization(h, types, true, "x86-64-v2"), "target cpu");
        List<TensorType> other = List.of(TensorType.of(ScalarType.F32, 3, 4), TensorType.of(ScalarType.F32, 3, 4));
        assertNotEquals(base, CacheKeys.specialization(h, other, true, null), "input shapes");
    }

    /** A property that changes generated code changes the key; one read only at run time does not. */
    @Test
    void codePropertiesChangeTheKey() {
        byte[] h = hash(GRAPH);
        List<TensorType> types = List.of(TensorType.of(ScalarType.F32, 2, 4), TensorType.of(ScalarType.F32, 2, 4));
        String base = CacheKeys.specialization(h, types, true, null);
        withProperty("lathe.minChunkOps", "512", () -> assertNotEquals(base, CacheKeys.specialization(h, types, true, null)));
        withProperty("lathe.spinMicros", "0", () -> assertEquals(base, CacheKeys.specialization(h, types, true, null)));
        assertEquals(base, CacheKeys.specialization(h, types, true, null));
    }

    private static void withProperty(String name, String value, Runnable r) {
        String before = System.getProperty(name);
        System.setProperty(name, value);
        try {
            r.run();
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }
}
