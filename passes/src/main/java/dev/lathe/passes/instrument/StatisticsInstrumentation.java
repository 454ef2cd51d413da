package dev.lathe.passes.instrument;

import dev.lathe.ir.Module;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.PassFailure;
import dev.lathe.passes.PassInstrumentation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Collects each pass's counters and the op count before and after it; prints them at the end. */
public final class StatisticsInstrumentation implements PassInstrumentation {

    /** One pass run: ops in the module before and after, and the counters the pass reported. */
    public record Entry(String pass, long opsBefore, long opsAfter, Map<String, Long> counters, boolean failed) {}

    private final PrintStream out;
    private final List<Entry> entries = new ArrayList<>();
    private long opsBefore;

    public StatisticsInstrumentation(PrintStream out) {
        this.out = out;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The number of ops in the module, the module op excluded. */
    public static long countOps(Module module) {
        long[] n = {0};
        module.walk(op -> n[0]++);
        return n[0];
    }

    @Override
    public void runBeforePass(Pass pass, Module module) {
        opsBefore = countOps(module);
    }

    @Override
    public void runAfterPass(Pass pass, Module module, PassContext context) {
        entries.add(new Entry(pass.name(), opsBefore, countOps(module), Map.copyOf(context.counters()), false));
    }

    @Override
    public void runAfterPassFailed(Pass pass, Module module, PassFailure failure) {
        entries.add(new Entry(pass.name(), opsBefore, countOps(module), Map.of(), true));
    }

    @Override
    public void runAfterPipeline(Module module, boolean succeeded) {
        out.print(report());
        out.flush();
    }

    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("===-------------------------------------------------------------------------===\n");
        sb.append("                         ... Pass statistics report ...\n");
        sb.append("===-------------------------------------------------------------------------===\n");
        for (Entry e : entries) {
            sb.append(e.pass()).append(e.failed() ? " (failed)" : "").append('\n');
            sb.append("  ops: ").append(e.opsBefore()).append(" -> ").append(e.opsAfter()).append('\n');
            e.counters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(c -> sb.append("  ").append(c.getKey()).append(": ").append(c.getValue()).append('\n'));
        }
        return sb.toString();
    }
}
