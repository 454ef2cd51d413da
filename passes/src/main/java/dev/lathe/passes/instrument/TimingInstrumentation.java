package dev.lathe.passes.instrument;

import dev.lathe.ir.Module;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.PassFailure;
import dev.lathe.passes.PassInstrumentation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Measures the wall time of each pass run and prints a table at the end of the pipeline. */
public final class TimingInstrumentation implements PassInstrumentation {

    /** One pass run; a pass that occurs twice in the pipeline has two rows. */
    public record Row(String pass, long nanos, boolean failed) {}

    private final PrintStream out;
    private final List<Row> rows = new ArrayList<>();
    private long start = -1;

    public TimingInstrumentation(PrintStream out) {
        this.out = out;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    @Override
    public void runBeforePass(Pass pass, Module module) {
        start = System.nanoTime();
    }

    @Override
    public void runAfterPass(Pass pass, Module module, PassContext context) {
        stop(pass, false);
    }

    @Override
    public void runAfterPassFailed(Pass pass, Module module, PassFailure failure) {
        stop(pass, true);
    }

    private void stop(Pass pass, boolean failed) {
        if (start >= 0) { // a pass failed by the verifier after this hook ran is already counted
            rows.add(new Row(pass.name(), System.nanoTime() - start, failed));
            start = -1;
        }
    }

    @Override
    public void runAfterPipeline(Module module, boolean succeeded) {
        out.print(report());
        out.flush();
    }

    /** The table, e.g. {@code "   1.234 ms   80.0%  canonicalize"} per row, then the total. */
    public String report() {
        long total = rows.stream().mapToLong(Row::nanos).sum();
        StringBuilder sb = new StringBuilder();
        sb.append("===-------------------------------------------------------------------------===\n");
        sb.append("                      ... Pass execution timing report ...\n");
        sb.append("===-------------------------------------------------------------------------===\n");
        sb.append(String.format(Locale.ROOT, "  Total Execution Time: %.4f seconds%n%n", total / 1e9));
        sb.append("   Wall Time  Percent  Pass\n");
        for (Row r : rows) {
            sb.append(line(r.nanos(), total, r.pass() + (r.failed() ? " (failed)" : "")));
        }
        sb.append(line(total, total, "Total"));
        return sb.toString();
    }

    private static String line(long nanos, long total, String name) {
        double percent = total == 0 ? 100.0 : 100.0 * nanos / total;
        return String.format(Locale.ROOT, "  %7.3f ms  %6.1f%%  %s%n", nanos / 1e6, percent, name);
    }
}
