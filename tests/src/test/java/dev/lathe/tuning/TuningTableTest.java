package dev.lathe.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.tune.GemmTuner;
import dev.lathe.backend.cpu.tune.TuningTable;
import dev.lathe.costmodel.CostModels;
import dev.lathe.costmodel.GemmProblem;
import dev.lathe.costmodel.MachineModel;
import dev.lathe.costmodel.Schedule;
import dev.lathe.ir.type.ScalarType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuning table on disk: what is recorded comes back; a damaged or stale table is ignored with a warning. */
class TuningTableTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private static final GemmProblem P = new GemmProblem(128, 384, 384, ScalarType.F32);
    private static final GemmProblem Q = new GemmProblem(40, 200, 96, ScalarType.F32);

    /** An outcome as the tuner reports it: candidates of ranks 1 and 3, rank 3 the faster. */
    static GemmTuner.Outcome outcome(GemmProblem p) {
        List<Schedule> ranked = CostModels.defaultModel().rankedGemm(p.m(), p.n(), p.k(), p.et(), MachineModel.host());
        GemmTuner.Timed first = new GemmTuner.Timed(1, ranked.get(0), 2.0);
        GemmTuner.Timed third = new GemmTuner.Timed(3, ranked.get(2), 1.5);
        return new GemmTuner.Outcome(p, List.of("1 x nn.matmul"), List.of(first, third), third);
    }

    @Test
    void recordedWinnersComeBackForTheirCpuAndThreads() throws IOException {
        TuningTable table = TuningTable.load(dir, warnings::add);
        table.record("cpu-a", 2, List.of(outcome(P), outcome(Q)));
        table.record("cpu-a", 1, List.of(outcome(Q)));
        table.save();
        TuningTable again = TuningTable.load(dir, warnings::add);
        Map<GemmProblem, Schedule> two = again.choices("cpu-a", 2);
        assertEquals(Map.of(P, outcome(P).winner().schedule(), Q, outcome(Q).winner().schedule()), two);
        assertEquals(Map.of(Q, outcome(Q).winner().schedule()), again.choices("cpu-a", 1));
        assertEquals(Map.of(), again.choices("cpu-b", 2), "another CPU's entries do not apply");
        assertEquals(Map.of(), again.choices("cpu-a", 4), "nor another thread count's");
        assertEquals(List.of(), warnings);
        assertTrue(Files.list(dir).allMatch(f -> f.getFileName().toString().equals(TuningTable.FILE)),
                "no temporary file is left behind");
    }

    @Test
    void reRecordingAProblemReplacesItsEntry() throws IOException {
        TuningTable table = TuningTable.load(dir, warnings::add);
        table.record("cpu-a", 2, List.of(outcome(P)));
        GemmTuner.Outcome o = outcome(P);
        GemmTuner.Outcome firstWins = new GemmTuner.Outcome(P, o.ops(), o.candidates(), o.candidates().getFirst());
        table.record("cpu-a", 2, List.of(firstWins));
        table.save();
        assertEquals(Map.of(P, firstWins.winner().schedule()), TuningTable.load(dir, warnings::add).choices("cpu-a", 2));
    }

    @Test
    void corruptTableIsIgnoredWithAWarning() throws IOException {
        Files.writeString(dir.resolve(TuningTable.FILE), "{\"format\": 1, \"entries\": [ {\"cpu\": ");
        TuningTable table = TuningTable.load(dir, warnings::add);
        assertEquals(Map.of(), table.choices("cpu-a", 2));
        assertEquals(1, warnings.size(), warnings.toString());
        // ... and tuning again writes a good table over it.
        table.record("cpu-a", 2, List.of(outcome(P)));
        table.save();
        assertEquals(1, TuningTable.load(dir, warnings::add).choices("cpu-a", 2).size());
    }

    @Test
    void otherFormatIsIgnoredWithAWarning() throws IOException {
        Files.writeString(dir.resolve(TuningTable.FILE), "{\"format\": 99, \"entries\": []}");
        assertEquals(Map.of(), TuningTable.load(dir, warnings::add).choices("cpu-a", 2));
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void damagedOrStaleEntriesAreSkippedAndTheRestKept() throws IOException {
        TuningTable table = TuningTable.load(dir, warnings::add);
        table.record("cpu-a", 2, List.of(outcome(P), outcome(Q)));
        table.save();
        String text = Files.readString(dir.resolve(TuningTable.FILE));
        // Damage P's entry (a tile that is not a number) ...
        String damaged = text.replaceFirst("\"tiles\" : \\[ ", "\"tiles\" : [ \"x\", ");
        assertNotEquals(text, damaged, "the table text has P's tiles in the expected form");
        Files.writeString(dir.resolve(TuningTable.FILE), damaged);
        Map<GemmProblem, Schedule> left = TuningTable.load(dir, warnings::add).choices("cpu-a", 2);
        assertEquals(Map.of(Q, outcome(Q).winner().schedule()), left);
        assertEquals(1, warnings.size(), warnings.toString());
        // ... or make it stale: a valid schedule that the candidate generator no longer proposes.
        warnings.clear();
        Files.writeString(dir.resolve(TuningTable.FILE), text.replaceFirst("\"unroll\" : 4", "\"unroll\" : 3"));
        left = TuningTable.load(dir, warnings::add).choices("cpu-a", 2);
        assertEquals(1, left.size());
        assertFalse(warnings.isEmpty());
        assertTrue(warnings.getFirst().contains("stale"), warnings.toString());
    }

    @Test
    void fingerprintChangesWithTheChoices() {
        Schedule a = outcome(P).candidates().get(0).schedule();
        Schedule b = outcome(P).candidates().get(1).schedule();
        assertEquals("{}", TuningTable.fingerprint(Map.of()));
        assertNotEquals(TuningTable.fingerprint(Map.of(P, a)), TuningTable.fingerprint(Map.of(P, b)));
        assertEquals(TuningTable.fingerprint(Map.of(P, a, Q, b)), TuningTable.fingerprint(Map.of(Q, b, P, a)));
    }
}
