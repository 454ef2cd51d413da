package dev.lathe.backend.cpu.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.backend.cpu.llvm.LlvmTarget;
import dev.lathe.costmodel.GemmProblem;
import dev.lathe.costmodel.MachineModel;
import dev.lathe.costmodel.Schedule;
import dev.lathe.costmodel.Schedules;
import dev.lathe.ir.type.ScalarType;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The GEMM schedules {@code --tune} measured, on disk: {@code DIR/gemm.json}, one entry per CPU,
 * thread count and {@link GemmProblem}, holding the winning schedule, its cost-model rank and the
 * candidates' times (docs/costmodel.md#measured-search---tune).
 *
 * <p>Written whole to a temporary file in the same directory and renamed over the old one, so a
 * reader sees the old table or the new one, never half of one; two processes tuning at once each
 * keep their own merge and the last rename wins. A table that does not parse, has another format
 * number, or an entry whose schedule is invalid or no longer one of {@link Schedules#gemm}'s
 * candidates (the generator changed), is ignored with a warning: tuning is an optimization, so a
 * bad table never fails a compile.
 */
public final class TuningTable {

    public static final String FILE = "gemm.json";
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final ArrayNode entries;
    private final Consumer<String> warn;

    private TuningTable(Path dir, ArrayNode entries, Consumer<String> warn) {
        this.dir = dir;
        this.entries = entries;
        this.warn = warn;
    }

    /**
     * {@code $LATHE_CACHE_DIR/tuning}, else {@code $XDG_CACHE_HOME/lathe/tuning}, else
     * {@code ~/.cache/lathe/tuning}.
     */
    public static Path defaultDir() {
        String env = System.getenv("LATHE_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env).resolve("tuning");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("lathe").resolve("tuning");
    }

    private static volatile String hostCpu;

    /** This machine as the table keys it: the LLVM host CPU and the cost model's machine fingerprint. */
    public static String hostCpu() {
        String h = hostCpu;
        if (h == null) {
            try (LlvmTarget host = LlvmTarget.host()) {
                h = host.cpu() + "; " + MachineModel.host().describe();
            }
            hostCpu = h;
        }
        return h;
    }

    /** The table in {@code dir} (empty when there is none, or when it is unreadable: {@code warn} says why). */
    public static TuningTable load(Path dir, Consumer<String> warn) {
        Path file = dir.resolve(FILE);
        ArrayNode entries = JSON.createArrayNode();
        if (Files.exists(file)) {
            try {
                JsonNode root = JSON.readTree(file.toFile());
                if (root == null || !root.isObject() || root.path("format").asInt(-1) != FORMAT
                        || !root.path("entries").isArray()) {
                    warn.accept("ignoring the tuning table " + file + ": not a format-" + FORMAT + " table");
                } else {
                    entries = (ArrayNode) root.get("entries");
                }
            } catch (IOException e) {
                warn.accept("ignoring the tuning table " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return new TuningTable(dir, entries, warn);
    }

    /**
     * The measured choices for {@code cpu} and {@code threads}; entries that are damaged or stale
     * are left out with a warning.
     */
    public Map<GemmProblem, Schedule> choices(String cpu, int threads) {
        Map<GemmProblem, Schedule> out = new TreeMap<>(java.util.Comparator.comparing(GemmProblem::describe));
        for (JsonNode e : entries) {
            if (!cpu.equals(e.path("cpu").asText()) || e.path("threads").asInt() != threads) {
                continue;
            }
            try {
                GemmProblem p = problem(e);
                Schedule s = schedule(e.get("schedule"));
                if (!Schedules.gemm(p.m(), p.n(), p.k(), p.et(), MachineModel.host()).contains(s)) {
                    warn.accept("ignoring a stale tuning entry for gemm " + p.describe() + " (" + s.describe()
                            + " is no longer a candidate); rerun --tune");
                    continue;
                }
                out.put(p, s);
            } catch (RuntimeException ex) {
                warn.accept("ignoring a damaged tuning entry in " + dir.resolve(FILE) + ": " + ex.getMessage());
            }
        }
        return out;
    }

    /** Replaces (or adds) the entries of these outcomes' problems for {@code cpu} and {@code threads}. */
    public void record(String cpu, int threads, List<GemmTuner.Outcome> outcomes) {
        for (GemmTuner.Outcome o : outcomes) {
            for (int i = entries.size() - 1; i >= 0; i--) {
                JsonNode e = entries.get(i);
                if (cpu.equals(e.path("cpu").asText()) && e.path("threads").asInt() == threads && sameProblem(e, o.problem())) {
                    entries.remove(i);
                }
            }
            ObjectNode e = entries.addObject();
            e.put("cpu", cpu).put("threads", threads).put("m", o.problem().m()).put("n", o.problem().n())
                    .put("k", o.problem().k()).put("et", o.problem().et().text());
            e.set("schedule", json(o.winner().schedule()));
            e.put("rank", o.winner().rank());
            ArrayNode cands = e.putArray("candidates");
            for (GemmTuner.Timed t : o.candidates()) {
                cands.addObject().put("rank", t.rank()).put("ms", t.ms()).put("schedule", t.schedule().describe());
            }
            ArrayNode ops = e.putArray("ops");
            o.ops().forEach(ops::add);
        }
    }

    /** Writes the table atomically (temporary file, then rename over the old one). */
    public void save() throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.set("entries", entries);
        Path tmp = Files.createTempFile(dir, "gemm-", ".json.tmp");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            try {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A stable text of {@code choices} for the compile cache key: a model compiled with other
     * choices gets another key, so a cached model never silently uses another schedule.
     */
    public static String fingerprint(Map<GemmProblem, Schedule> choices) {
        Map<String, String> sorted = new TreeMap<>();
        choices.forEach((p, s) -> sorted.put(p.describe(), s.describe()));
        return sorted.toString();
    }

    private static boolean sameProblem(JsonNode e, GemmProblem p) {
        try {
            return problem(e).equals(p);
        } catch (RuntimeException ex) {
            return false;
        }
    }

    private static GemmProblem problem(JsonNode e) {
        String et = e.path("et").asText();
        return new GemmProblem(required(e, "m").asLong(), required(e, "n").asLong(), required(e, "k").asLong(),
                ScalarType.fromText(et).orElseThrow(() -> new IllegalArgumentException("unknown element type '" + et + "'")));
    }

    private static ObjectNode json(Schedule s) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode tiles = o.putArray("tiles");
        s.tiles().forEach(tiles::add);
        ArrayNode reg = o.putArray("registerTile");
        s.registerTile().forEach(reg::add);
        o.put("vectorLoop", s.vectorLoop()).put("vectorLanes", s.vectorLanes()).put("unroll", s.unroll())
                .put("parallelLoop", s.parallelLoop()).put("tasks", s.tasks());
        return o;
    }

    private static Schedule schedule(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("no schedule");
        }
        return new Schedule(longs(required(o, "tiles")), longs(required(o, "registerTile")),
                required(o, "vectorLoop").asInt(), required(o, "vectorLanes").asInt(), required(o, "unroll").asInt(),
                required(o, "parallelLoop").asInt(), required(o, "tasks").asInt());
    }

    private static List<Long> longs(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("expected an array, found " + array);
        }
        List<Long> out = new ArrayList<>();
        array.forEach(v -> {
            if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                throw new IllegalArgumentException("expected an integer, found " + v);
            }
            out.add(v.asLong());
        });
        return out;
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull() || (!v.isNumber() && !v.isArray())) {
            throw new IllegalArgumentException("missing or non-numeric '" + field + "'");
        }
        return v;
    }
}
