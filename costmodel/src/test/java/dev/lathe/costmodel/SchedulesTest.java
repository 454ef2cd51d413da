package dev.lathe.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.type.ScalarType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    private static final MachineModel M = MachineModelTest.AVX512_8;
    private static final MachineModel AVX2_2 = new MachineModel(2, 256, 16, 2, 32L << 10, 1L << 20, 8L << 20, 2.5, 20);
    private static final ScalarType F32 = ScalarType.F32;

    @Test
    void elementwiseCandidatesFitTheirKernelAtEverySize() {
        for (MachineModel m : List.of(M, AVX2_2)) {
            for (long n : new long[] {1, 3, 17, 1000, 1L << 20}) {
                KernelFeatures k = KernelFeatures.elementwise("e", n, 2, 1, 1, F32);
                List<Schedule> candidates = Schedules.elementwise(n, F32, m);
                assertFalse(candidates.isEmpty());
                assertTrue(candidates.contains(Schedule.sequential(k)), "scalar sequential is always proposed");
                for (Schedule s : candidates) {
                    assertTrue(s.vectorLanes() <= m.lanes(F32) && s.vectorLanes() <= n, s.describe());
                    assertFinite(new AnalyticalCostModel(m).estimateSeconds(k, s), s);
                }
            }
        }
    }

    @Test
    void elementwiseCandidatesSplitLargeKernelsIntoEveryCore() {
        List<Schedule> c = Schedules.elementwise(1L << 20, F32, M);
        assertTrue(c.stream().anyMatch(s -> s.tasks() == 8 && s.vectorLanes() == 16 && s.tile(0) == (1L << 17)));
    }

    @Test
    void gemmCandidatesFitEveryShapeAndNeverOverflowTheRegistersWithAccumulators() {
        for (long[] d : new long[][] {{1, 1, 1}, {7, 5, 3}, {1, 128, 784}, {96, 200, 64}, {300, 300, 300}}) {
            KernelFeatures g = KernelFeatures.gemm("mm", d[0], d[1], d[2], F32);
            List<Schedule> candidates = Schedules.gemm(d[0], d[1], d[2], F32, M);
            assertFalse(candidates.isEmpty());
            for (Schedule s : candidates) {
                GemmBlocking b = GemmBlocking.of(s);
                assertTrue(b.accumulators() <= M.vectorRegisters(), s.describe());
                assertTrue(b.parallelLoop() != Schedules.GEMM_K, s.describe());
                assertFinite(new AnalyticalCostModel(M).estimateSeconds(g, s), s);
            }
        }
    }

    @Test
    void genericCandidatesVectorizeTheContiguousLoop() {
        KernelFeatures g = KernelFeatures.gemm("mm", 64, 64, 64, F32);
        KernelFeatures sum = KernelFeatures.rowReduction("sum", 8, 64, 1, F32);
        KernelFeatures e = KernelFeatures.elementwise("e", 64, 1, 1, 1, F32);
        assertEquals(Schedules.GEMM_N, Schedules.contiguousLoop(g), "n is last in B and C");
        assertEquals(1, Schedules.contiguousLoop(sum), "ties go to the later loop");
        assertEquals(0, Schedules.contiguousLoop(e));
        for (KernelFeatures k : List.of(g, sum, e)) {
            for (Schedule s : Schedules.forKernel(k, M)) {
                assertFinite(new AnalyticalCostModel(M).estimateSeconds(k, s), s);
                assertFalse(s.isParallel() && k.isReductionLoop(s.parallelLoop()), s.describe());
            }
        }
    }

    @Test
    void gemmBlockingReadsBackBlisNamesAndRejectsOtherNests() {
        Schedule s = Schedule.sequential(List.of(256L, 256L, 256L)).withTiles(96L, 128L, 64L)
                .withRegisterTile(6L, 32L, 1L).withVector(Schedules.GEMM_N, 16).withUnroll(4).withParallel(Schedules.GEMM_N, 2);
        assertEquals(new GemmBlocking(6, 32, 96, 128, 64, 16, 4, 2, Schedules.GEMM_N), GemmBlocking.of(s));
        assertThrows(IllegalArgumentException.class, () -> GemmBlocking.of(Schedule.sequential(List.of(4L, 4L))));
    }

    private static void assertFinite(double seconds, Schedule s) {
        assertTrue(Double.isFinite(seconds) && seconds > 0, seconds + " for " + s.describe());
    }
}
