package dev.lathe.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.type.ScalarType;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelFeaturesTest {

    @Test
    void gemmCountsFlopsBytesAndTheReductionLoop() {
        KernelFeatures g = KernelFeatures.gemm("mm", 2, 3, 4, ScalarType.F32);
        assertEquals(2 * 2 * 3 * 4, g.flops());
        assertEquals((2 * 4 + 4 * 3) * 4, g.bytesRead());
        assertEquals(2 * 3 * 4, g.bytesWritten());
        assertEquals(List.of(2L, 3L, 4L), g.extents());
        assertTrue(g.reduces());
        assertTrue(g.isReductionLoop(Schedules.GEMM_K));
        assertEquals(48.0 / 104.0, g.arithmeticIntensity(), 1e-12);
    }

    @Test
    void elementwiseHasOneLoopAndNoReduction() {
        KernelFeatures e = KernelFeatures.elementwise("add", 1000, 2, 1, 1, ScalarType.F16);
        assertEquals(1000, e.flops());
        assertEquals(4000, e.bytesRead());
        assertEquals(2000, e.bytesWritten());
        assertFalse(e.reduces());
        assertEquals(1000.0, e.iterations());
    }

    @Test
    void aKernelThatMovesNothingHasInfiniteIntensity() {
        var k = new KernelFeatures("iota", 0, 0, 0, List.of(1L), ScalarType.I64, List.of(), List.of());
        assertEquals(Double.POSITIVE_INFINITY, k.arithmeticIntensity());
    }

    @Test
    void rejectsMalformedFeaturesNamingTheKernel() {
        var noLoops = assertThrows(IllegalArgumentException.class, () ->
                new KernelFeatures("k1", 1, 1, 1, List.of(), ScalarType.F32, List.of(), List.of()));
        assertTrue(noLoops.getMessage().contains("kernel k1") && noLoops.getMessage().contains("[1]"), noLoops.getMessage());
        var reducedOutput = assertThrows(IllegalArgumentException.class, () ->
                new KernelFeatures("k2", 1, 1, 1, List.of(4L, 4L), ScalarType.F32, List.of(1),
                        List.of(KernelFeatures.Operand.output("y", ScalarType.F32, 0, 1))));
        assertTrue(reducedOutput.getMessage().contains("written operand y"), reducedOutput.getMessage());
        assertThrows(IllegalArgumentException.class, () ->
                new KernelFeatures("k3", 1, 1, 1, List.of(4L), ScalarType.F32, List.of(),
                        List.of(KernelFeatures.Operand.input("x", ScalarType.F32, 1))));
        assertThrows(IllegalArgumentException.class, () ->
                new KernelFeatures("k4", 1, 1, 1, List.of(0L), ScalarType.F32, List.of(), List.of()));
    }
}
