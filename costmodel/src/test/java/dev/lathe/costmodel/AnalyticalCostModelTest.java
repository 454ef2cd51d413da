package dev.lathe.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.type.ScalarType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ranking sanity of the roofline model on a fixed 8-core AVX-512 machine (the host does not matter). */
class AnalyticalCostModelTest {

    private static final MachineModel M = MachineModelTest.AVX512_8;
    private static final AnalyticalCostModel MODEL = new AnalyticalCostModel(M);
    private static final ScalarType F32 = ScalarType.F32;

    @Test
    void tinyKernelIsNotSplitAcrossThreads() {
        KernelFeatures relu = KernelFeatures.elementwise("relu", 1024, 1, 1, 1, F32);
        Schedule best = MODEL.best(relu, Schedules.elementwise(1024, F32, M));
        assertEquals(1, best.tasks(), best.describe());
        assertEquals(16, best.vectorLanes(), best.describe());
    }

    @Test
    void largeElementwiseKernelUsesAllCoresAndFullVectors() {
        long n = 1L << 24;
        KernelFeatures add = KernelFeatures.elementwise("add", n, 2, 1, 1, F32);
        Schedule best = MODEL.best(add, Schedules.elementwise(n, F32, M));
        Estimate e = MODEL.explain(add, best);
        assertEquals(M.cores(), e.coresUsed(), best.describe());
        assertEquals(M.lanes(F32), best.vectorLanes(), best.describe());
        assertTrue(e.memoryBound(), e.describe());
        assertEquals(MemoryLevel.DRAM, e.dataLevel());
    }

    @Test
    void streamingTimeIsBytesOverBandwidthInSeconds() {
        long n = 1L << 24;
        KernelFeatures copy = KernelFeatures.elementwise("copy", n, 1, 1, 0, F32);
        Schedule s = Schedule.sequential(copy).withVector(0, 16).withTiles(n / 8).withParallel(0, 8);
        // 2^24 x 4 B read + the same written, from DRAM at the socket's 80 GB/s.
        assertEquals(n * 8 / 80e9, MODEL.explain(copy, s).memorySeconds(), 1e-12);
    }

    @Test
    void gemmMicroTileWithFortyEightAccumulatorsRanksBelowOneWithTwentyFour() {
        KernelFeatures g = KernelFeatures.gemm("mm", 384, 1024, 1024, F32);
        Schedule blocked = Schedule.sequential(g).withTiles(96L, 1024L, 256L).withVector(Schedules.GEMM_N, 16).withUnroll(4);
        Schedule acc24 = blocked.withRegisterTile(6L, 64L, 1L);   // 6 x 4 vectors
        Schedule acc48 = blocked.withRegisterTile(12L, 64L, 1L);  // 12 x 4 vectors: spills on 32 registers
        assertEquals(24, GemmBlocking.of(acc24).accumulators());
        assertEquals(48, GemmBlocking.of(acc48).accumulators());
        assertTrue(MODEL.estimateSeconds(g, acc48) > MODEL.estimateSeconds(g, acc24));
        // The penalty is the register file, not the tile shape: with 64 registers nothing spills.
        MachineModel wide = new MachineModel(8, 512, 64, 2, 48L << 10, 2L << 20, 32L << 20, 3.0, 80);
        assertTrue(MODEL.estimateSeconds(g, acc48, wide) <= MODEL.estimateSeconds(g, acc24, wide));
    }

    @Test
    void bestGemmKeepsItsMicroTileInRegistersAndHidesFmaLatency() {
        KernelFeatures g = KernelFeatures.gemm("mm", 512, 512, 512, F32);
        GemmBlocking b = GemmBlocking.of(MODEL.best(g, Schedules.gemm(512, 512, 512, F32, M)));
        assertTrue(b.accumulators() + b.nr() / b.vectorLanes() + 1 <= M.vectorRegisters(), b.toString());
        assertTrue(b.accumulators() >= ComputeTime.FMA_LATENCY_CYCLES * M.fmaUnits(), b.toString());
        assertEquals(16, b.vectorLanes());
        assertEquals(M.cores(), Math.min(b.tasks(), M.cores()), b.toString());
    }

    @Test
    void cacheBlockingBeatsAnUntiledLargeGemm() {
        KernelFeatures g = KernelFeatures.gemm("mm", 2048, 2048, 2048, F32);
        Schedule untiled = Schedule.sequential(g).withRegisterTile(6L, 64L, 1L).withVector(Schedules.GEMM_N, 16).withUnroll(4);
        Schedule blocked = untiled.withTiles(96L, 512L, 256L);
        Estimate u = MODEL.explain(g, untiled);
        Estimate b = MODEL.explain(g, blocked);
        assertTrue(b.totalSeconds() < u.totalSeconds(), "blocked " + b.describe() + " vs untiled " + u.describe());
        assertTrue(u.memoryBound(), "register reloads of an untiled 48 MiB GEMM come from DRAM: " + u.describe());
    }

    @Test
    void scalarCodeLosesToVectorsWhenComputeBound() {
        KernelFeatures gelu = KernelFeatures.elementwise("gelu", 4096, 1, 1, 40, F32);
        Schedule vector = Schedule.sequential(gelu).withVector(0, 16);
        Schedule scalar = Schedule.sequential(gelu);
        assertTrue(MODEL.estimateSeconds(gelu, scalar) > 8 * MODEL.estimateSeconds(gelu, vector));
    }

    @Test
    void remainderIterationsCostScalarWork() {
        KernelFeatures even = KernelFeatures.elementwise("e", 1024, 1, 1, 1, F32);
        KernelFeatures odd = KernelFeatures.elementwise("o", 1039, 1, 1, 1, F32);
        assertEquals(1.0, ComputeTime.vectorEfficiency(even, Schedule.sequential(even).withVector(0, 16), M), 1e-12);
        // 64 full vectors + 15 scalar iterations for 1039 points on 16 lanes.
        assertEquals(1039.0 / (16 * (64 + 15)),
                ComputeTime.vectorEfficiency(odd, Schedule.sequential(odd).withVector(0, 16), M), 1e-12);
        assertEquals(1.0 / 16, ComputeTime.vectorEfficiency(even, Schedule.sequential(even), M), 1e-12);
    }

    @Test
    void unrollingAReductionHidesFmaLatency() {
        KernelFeatures sum = KernelFeatures.rowReduction("sum", 64, 4096, 2, F32);
        Schedule one = Schedule.sequential(sum).withVector(1, 16);
        assertEquals(0.125, ComputeTime.microKernelEfficiency(sum, one, M), 1e-12);
        assertEquals(1.0, ComputeTime.microKernelEfficiency(sum, one.withUnroll(8), M), 1e-12);
        assertTrue(MODEL.estimateSeconds(sum, one.withUnroll(8)) < MODEL.estimateSeconds(sum, one));
    }

    @Test
    void splittingAReductionLoopIsAnError() {
        KernelFeatures g = KernelFeatures.gemm("k7_matmul", 64, 64, 64, F32);
        Schedule bad = Schedule.sequential(g).withTiles(64L, 64L, 16L).withParallel(Schedules.GEMM_K, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> MODEL.estimateSeconds(g, bad));
        assertTrue(e.getMessage().contains("k7_matmul") && e.getMessage().contains("reduction loop"), e.getMessage());
    }

    @Test
    void unevenTaskSplitsPayForTheirBusiestCore() {
        KernelFeatures nine = KernelFeatures.elementwise("add", 9 * 4096, 2, 1, 1, F32);
        KernelFeatures sixteen = KernelFeatures.elementwise("add", 16 * 4096, 2, 1, 1, F32);
        Schedule tiles = Schedule.sequential(List.of(4096L)).withVector(0, 16);
        assertEquals(1.0, AnalyticalCostModel.imbalance(sixteen, tiles.withParallel(0, 8), 8), 1e-12);
        assertEquals(1.0, AnalyticalCostModel.imbalance(nine, tiles, 8), 1e-12);
        // 9 tiles over 8 cores: one core runs two, so the critical path is 2 where 9 / 8 would be balanced.
        assertEquals(16.0 / 9, AnalyticalCostModel.imbalance(nine, tiles.withParallel(0, 8), 8), 1e-12);
        assertEquals(16.0 / 9, AnalyticalCostModel.imbalance(nine, tiles.withParallel(0, 9), 8), 1e-12);
    }

    @Test
    void fusingTwoBandwidthBoundElementwiseKernelsIsChosen() {
        long n = 1L << 22;
        KernelFeatures add = KernelFeatures.elementwise("add", n, 2, 1, 1, F32);
        KernelFeatures relu = KernelFeatures.elementwise("relu", n, 1, 1, 1, F32);
        KernelFeatures fused = KernelFeatures.elementwise("add_relu", n, 2, 1, 2, F32);
        assertTrue(MODEL.shouldFuse(add, relu, fused));
    }

    @Test
    void fusionThatRecomputesAnExpensiveProducerPerConsumerRowIsRefused() {
        long rows = 512;
        long n = 1024;
        long k = 1024;
        // t[j] = sum_k v[k] W[k,j], then y[i,j] = x[i,j] * t[j].
        KernelFeatures matvec = KernelFeatures.gemm("matvec", 1, n, k, F32);
        KernelFeatures scale = new KernelFeatures("scale", rows * n, (rows * n + n) * 4, rows * n * 4,
                List.of(rows, n), F32, List.of(), List.of(KernelFeatures.Operand.input("x", F32, 0, 1),
                        KernelFeatures.Operand.input("t", F32, 1), KernelFeatures.Operand.output("y", F32, 0, 1)));
        // Fused, every row i recomputes t: loops [i, j, k], k reduces.
        KernelFeatures fused = new KernelFeatures("matvec_scale", rows * 2 * n * k + rows * n, (k + k * n + rows * n) * 4,
                rows * n * 4, List.of(rows, n, k), F32, List.of(2),
                List.of(KernelFeatures.Operand.input("v", F32, 2), KernelFeatures.Operand.input("W", F32, 2, 1),
                        KernelFeatures.Operand.input("x", F32, 0, 1), KernelFeatures.Operand.output("y", F32, 0, 1)));
        assertFalse(MODEL.shouldFuse(matvec, scale, fused));
        // The same shapes with a single consumer row recompute nothing, and fusing pays.
        KernelFeatures scaleOneRow = new KernelFeatures("scale1", n, 2 * n * 4, n * 4, List.of(1L, n), F32, List.of(),
                scale.operands());
        KernelFeatures fusedOneRow = new KernelFeatures("matvec_scale1", 2 * n * k + n, (k + k * n + n) * 4, n * 4,
                List.of(1L, n, k), F32, List.of(2), fused.operands());
        assertTrue(MODEL.shouldFuse(matvec, scaleOneRow, fusedOneRow));
    }
}
