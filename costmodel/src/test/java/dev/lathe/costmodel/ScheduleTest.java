package dev.lathe.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.type.ScalarType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void sequentialIsUntiledScalarAndSingleTask() {
        Schedule s = Schedule.sequential(List.of(4L, 16L));
        assertEquals(List.of(4L, 16L), s.tiles());
        assertEquals(List.of(1L, 1L), s.registerTile());
        assertEquals(1, s.vectorLoop());
        assertEquals(1, s.vectorLanes());
        assertEquals(1, s.tasks());
        assertEquals("tiles=[4, 16] reg=[1, 1] vec=1@1 unroll=1 sequential", s.describe());
    }

    @Test
    void withVectorWidensTheRegisterTileToWholeVectors() {
        Schedule s = Schedule.sequential(List.of(4L, 64L)).withVector(1, 16);
        assertEquals(16, s.registerTile(1));
        assertEquals(List.of(4L, 64L), s.tiles());
        Schedule kept = s.withRegisterTile(2L, 32L).withVector(1, 16);
        assertEquals(32, kept.registerTile(1), "a multiple of the lanes is kept");
    }

    @Test
    void rejectsInconsistentFieldsByName() {
        Schedule base = Schedule.sequential(List.of(8L, 64L));
        assertMessage(() -> base.withVector(1, 12), "vectorLanes");
        assertMessage(() -> base.withRegisterTile(16L, 1L), "register tile of loop 0");
        assertMessage(() -> base.withParallel(5, 2), "parallelLoop 5");
        assertMessage(() -> base.withUnroll(0), "unroll");
        assertMessage(() -> new Schedule(List.of(8L), List.of(1L), 0, 1, 1, -1, 3), "sequential");
        assertMessage(() -> base.withRegisterTile(1L, 24L).withVector(1, 16).withRegisterTile(1L, 24L), "multiple of vectorLanes");
    }

    @Test
    void withParallelOfOneTaskIsSequential() {
        Schedule s = Schedule.sequential(List.of(8L)).withParallel(0, 4).withParallel(0, 1);
        assertEquals(-1, s.parallelLoop());
        assertEquals(1, s.tasks());
    }

    @Test
    void checkFitsRejectsWrongRankAndParallelReductions() {
        KernelFeatures gemm = KernelFeatures.gemm("k0_matmul", 64, 64, 64, ScalarType.F32);
        assertMessage(() -> Schedule.sequential(List.of(64L, 64L)).checkFits(gemm), "has 2 loops but kernel k0_matmul has 3");
        assertMessage(() -> Schedule.sequential(gemm).withTiles(64L, 64L, 16L).withParallel(Schedules.GEMM_K, 4)
                .checkFits(gemm), "reduction loop");
        Schedule.sequential(gemm).withTiles(16L, 64L, 64L).withParallel(Schedules.GEMM_M, 4).checkFits(gemm);
    }

    private static void assertMessage(Runnable r, String fragment) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}
