package dev.lathe.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.type.ScalarType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interface's default methods, driven by a stand-in model whose estimates are easy to predict. */
class CostModelTest {

    /** Estimates flops / lanes + 10 ns per task: a toy, so the defaults are checked and not the roofline. */
    private static final CostModel TOY = new CostModel() {
        @Override
        public MachineModel machine() {
            return MachineModelTest.AVX512_8;
        }

        @Override
        public double estimateSeconds(KernelFeatures k, Schedule s, MachineModel m) {
            s.checkFits(k);
            return k.flops() * 1e-9 / s.vectorLanes() + s.tasks() * 1e-8;
        }
    };

    private final KernelFeatures relu = KernelFeatures.elementwise("k2_relu", 4096, 1, 1, 1, ScalarType.F32);

    @Test
    void bestPicksTheSmallestEstimateAndTheEarliestOnTies() {
        Schedule scalar = Schedule.sequential(relu);
        Schedule vec8 = scalar.withVector(0, 8);
        Schedule vec16 = scalar.withVector(0, 16);
        Schedule vec16Again = scalar.withVector(0, 16).withUnroll(2);
        assertSame(vec16, TOY.best(relu, List.of(scalar, vec8, vec16, vec16Again)));
        assertSame(vec16Again, TOY.best(relu, List.of(vec16Again, vec16)));
    }

    @Test
    void bestWithoutCandidatesNamesTheKernel() {
        var e = assertThrows(IllegalArgumentException.class, () -> TOY.best(relu, List.of()));
        assertTrue(e.getMessage().contains("k2_relu"), e.getMessage());
    }

    @Test
    void shouldFuseComparesTheFusedEstimateWithTheSumOfTheParts() {
        KernelFeatures a = KernelFeatures.elementwise("a", 4096, 1, 1, 1, ScalarType.F32);
        KernelFeatures cheap = KernelFeatures.elementwise("ab", 4096, 1, 1, 2, ScalarType.F32);
        KernelFeatures recomputing = KernelFeatures.elementwise("ab", 4096, 1, 1, 3, ScalarType.F32);
        assertTrue(TOY.shouldFuse(a, a, cheap), "equal cost fuses");
        assertFalse(TOY.shouldFuse(a, a, recomputing));
    }

    @Test
    void theDefaultModelIsTheAnalyticalModelOfThisHost() {
        CostModel m = CostModels.defaultModel();
        assertTrue(m instanceof AnalyticalCostModel, m.toString());
        assertEquals(MachineModel.host(), m.machine());
        assertSame(CostModels.analytical(), m);
    }
}
