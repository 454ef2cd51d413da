package dev.lathe.runtime;

import dev.lathe.backend.cpu.tune.GemmTuner;
import dev.lathe.backend.cpu.tune.TuningTable;
import dev.lathe.costmodel.GemmProblem;
import dev.lathe.costmodel.Schedule;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.TensorType;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The measured GEMM schedules a compile uses (docs/costmodel.md#measured-search---tune): with
 * {@link Options#tune} the model's problems are tuned first and the table updated; then the
 * table's choices for this CPU and the call's thread count are read. None when there is no
 * tuning directory or the code is for another CPU. Tuning reports go to standard error, problems
 * with the table to the {@code System.Logger} as warnings; neither fails the compile.
 */
final class GemmChoices {

    private static final System.Logger LOG = System.getLogger(GemmChoices.class.getName());

    private GemmChoices() {}

    static Map<GemmProblem, Schedule> of(Module module, List<TensorType> types, List<DenseElementsAttr> inputs,
            Options options) {
        if (options.tuningDir() == null || options.targetCpu() != null) {
            return Map.of();
        }
        String cpu = TuningTable.hostCpu();
        int threads = options.effectiveThreads();
        TuningTable table = TuningTable.load(options.tuningDir(), GemmChoices::warn);
        if (options.tune() > 0) {
            tune(table, cpu, threads, module, types, inputs, options);
        }
        return table.choices(cpu, threads);
    }

    private static void tune(TuningTable table, String cpu, int threads, Module module, List<TensorType> types,
            List<DenseElementsAttr> inputs, Options options) {
        long t0 = System.nanoTime();
        List<GemmTuner.Outcome> outcomes;
        try {
            outcomes = GemmTuner.tune(module, types, inputs, options.optimize(), threads, options.tune(),
                    table.choices(cpu, threads), report -> System.err.println("tune: " + report));
        } catch (RuntimeException e) {
            warn("not tuned: " + e.getMessage());
            return;
        }
        table.record(cpu, threads, outcomes);
        try {
            table.save();
        } catch (IOException e) {
            warn("cannot write the tuning table in " + options.tuningDir() + ": " + e.getMessage());
        }
        System.err.printf(java.util.Locale.ROOT, "tune: %d GEMM problems, %d candidates each at most, %d threads, %.1f s%n",
                outcomes.size(), options.tune(), threads, (System.nanoTime() - t0) / 1e9);
    }

    private static void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
    }
}
