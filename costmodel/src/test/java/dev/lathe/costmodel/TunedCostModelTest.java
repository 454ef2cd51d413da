package dev.lathe.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code rankedGemm}, the measured-choice decorator, and the scoped default model ({@code --tune}). */
class TunedCostModelTest {

    private static final MachineModel M = MachineModelTest.AVX512_8;
    private final CostModel model = CostModels.analytical(M);

    @Test
    void rankedGemmIsEveryCandidateBestFirstHeadedByBestGemm() {
        List<Schedule> ranked = model.rankedGemm(128, 384, 384, ScalarType.F32, M);
        List<Schedule> candidates = Schedules.gemm(128, 384, 384, ScalarType.F32, M);
        assertEquals(candidates.size(), ranked.size());
        assertTrue(ranked.containsAll(candidates));
        assertEquals(model.bestGemm(128, 384, 384, ScalarType.F32, M), ranked.getFirst());
        KernelFeatures k = KernelFeatures.gemm("matmul", 128, 384, 384, ScalarType.F32);
        for (int i = 1; i < ranked.size(); i++) {
            assertTrue(model.estimateSeconds(k, ranked.get(i - 1)) <= model.estimateSeconds(k, ranked.get(i)), "rank " + i);
        }
    }

    @Test
    void tunedModelAnswersItsProblemsAndDefersTheRest() {
        Schedule third = model.rankedGemm(128, 384, 384, ScalarType.F32, M).get(2);
        CostModel tuned = new TunedCostModel(model, Map.of(new GemmProblem(128, 384, 384, ScalarType.F32), third));
        assertSame(third, tuned.bestGemm(128, 384, 384, ScalarType.F32, M));
        assertEquals(model.bestGemm(128, 384, 1536, ScalarType.F32, M), tuned.bestGemm(128, 384, 1536, ScalarType.F32, M));
        KernelFeatures relu = KernelFeatures.elementwise("relu", 4096, 1, 1, 1, ScalarType.F32);
        assertEquals(model.bestSeconds(relu), tuned.bestSeconds(relu));
    }

    @Test
    void withDefaultBindsTheDefaultModelOnlyInsideTheBody() {
        CostModel tuned = new TunedCostModel(model, Map.of());
        assertSame(tuned, CostModels.withDefault(tuned, CostModels::defaultModel));
        assertSame(CostModels.analytical(), CostModels.defaultModel());
    }
}
