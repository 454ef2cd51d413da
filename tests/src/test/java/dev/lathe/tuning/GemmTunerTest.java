package dev.lathe.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.tune.GemmTuner;
import dev.lathe.costmodel.CostModels;
import dev.lathe.costmodel.GemmProblem;
import dev.lathe.costmodel.MachineModel;
import dev.lathe.costmodel.Schedule;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.lowering.NativeCheck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code --tune}: the tuner finds a model's GEMM problems, times only candidates from the head of
 * the cost model's ranking, and any candidate it may pick computes exactly what the untuned model
 * computes. Bit-identical is expected: the GEMM schedules change blocking, micro-tile and thread
 * split, never the order in which one output's k products are summed. No timing is asserted.
 */
class GemmTunerTest {

    /** A packed GEMM with a constant B, then a batched GEMM of two run-time operands. */
    static final String MODEL = """
            func.func @f(%a: tensor<40x96xf32>, %p: tensor<2x20x40xf32>) -> (tensor<40x200xf32>, tensor<2x20x200xf32>) {
              %b = "nn.constant"() {value = B} : () -> tensor<96x200xf32>
              %0 = "nn.matmul"(%a, %b) : (tensor<40x96xf32>, tensor<96x200xf32>) -> tensor<40x200xf32>
              %1 = "nn.matmul"(%p, %0) : (tensor<2x20x40xf32>, tensor<40x200xf32>) -> tensor<2x20x200xf32>
              func.return %0, %1 : tensor<40x200xf32>, tensor<2x20x200xf32>
            }
            """;

    static Module model() {
        DenseElementsAttr b = NativeCheck.random(TensorType.of(ScalarType.F32, 96, 200), -1, 1, 3);
        return IRParser.parse(MODEL.replace("B", b.text()), "tune.lir");
    }

    static List<DenseElementsAttr> inputs() {
        return List.of(NativeCheck.random(TensorType.of(ScalarType.F32, 40, 96), -1, 1, 4),
                NativeCheck.random(TensorType.of(ScalarType.F32, 2, 20, 40), -1, 1, 5));
    }

    @Test
    void timesOnlyTopCandidatesAndEveryOneComputesTheUntunedResult() {
        Module module = model();
        List<DenseElementsAttr> inputs = inputs();
        List<TensorType> types = inputs.stream().map(DenseElementsAttr::type).toList();
        int topN = 3;
        List<String> log = new ArrayList<>();
        List<GemmTuner.Outcome> outcomes = GemmTuner.tune(module, types, inputs, true, 1, topN, Map.of(), log::add);
        assertFalse(outcomes.isEmpty(), "the model has GEMMs to tune");
        assertEquals(outcomes.size(), log.size(), "one report per problem");
        Set<GemmProblem> problems = new HashSet<>();
        List<DenseElementsAttr> untuned = run(module, inputs, Map.of());
        for (GemmTuner.Outcome o : outcomes) {
            assertTrue(problems.add(o.problem()), "each problem tuned once");
            assertTrue(o.candidates().size() >= 1 && o.candidates().size() <= topN, o.report());
            assertTrue(o.candidates().contains(o.winner()), o.report());
            List<Schedule> ranked = CostModels.defaultModel().rankedGemm(o.problem().m(), o.problem().n(),
                    o.problem().k(), o.problem().et(), MachineModel.host());
            int previous = 0;
            for (GemmTuner.Timed t : o.candidates()) {
                assertTrue(t.rank() > previous, "candidates in the cost model's order: " + o.report());
                previous = t.rank();
                assertEquals(ranked.get(t.rank() - 1), t.schedule(), "rank " + t.rank() + " is the model's");
                assertTrue(t.ms() > 0, o.report());
                List<DenseElementsAttr> tuned = run(module, inputs, Map.of(o.problem(), t.schedule()));
                for (int i = 0; i < untuned.size(); i++) {
                    assertArrayEquals(untuned.get(i).toBytes(), tuned.get(i).toBytes(),
                            "output " + i + " with rank " + t.rank() + " for " + o.problem().describe());
                }
            }
            assertEquals(1, o.candidates().getFirst().rank(), "the model's own pick is always timed");
        }
    }

    @Test
    void aCandidateReplacesTheModelsPickOnlyWhenClearlyFaster() {
        Schedule s = Schedule.sequential(List.of(8L, 8L, 8L));
        GemmTuner.Timed pick = new GemmTuner.Timed(1, s, 10.0, 0, 21);
        GemmTuner.Timed slightlyFaster = new GemmTuner.Timed(5, s, 9.0, 15, 21); // faster in 15 of 21 rounds: noise
        GemmTuner.Timed clearlyFaster = new GemmTuner.Timed(9, s, 9.5, 16, 21);  // 16 of 21: at least three quarters
        assertEquals(pick, GemmTuner.winner(List.of(pick, slightlyFaster)));
        assertEquals(clearlyFaster, GemmTuner.winner(List.of(pick, clearlyFaster)));
        assertEquals(pick, GemmTuner.winner(List.of(pick, clearlyFaster, slightlyFaster)),
                "the fastest median is judged, and it is not clearly faster");
    }

    static List<DenseElementsAttr> run(Module module, List<DenseElementsAttr> inputs, Map<GemmProblem, Schedule> choices) {
        try (CompiledCpuModel m = CpuBackend.compile(module, inputs,
                CpuBackend.Options.defaults().withThreads(1).withGemmChoices(choices))) {
            return m.run(inputs);
        }
    }
}
