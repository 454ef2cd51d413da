package dev.lathe.cli;

import dev.lathe.runtime.Options;
import picocli.CommandLine.Option;

/**
 * {@code --tune N}, shared by {@code compile}, {@code run} and {@code serve}: time the cost model's
 * N best schedules of each GEMM problem of the model before compiling, print what was measured and
 * record the winners in the tuning table, which later compiles use (docs/costmodel.md#measured-search---tune).
 */
final class TuneOption {

    @Option(names = "--tune", paramLabel = "N",
            description = "time the cost model's N best schedules of each GEMM and keep the fastest (tuning table:"
                    + " $LATHE_CACHE_DIR/tuning or ~/.cache/lathe/tuning)")
    Integer tune;

    /** {@code options} with the tuning asked for (unchanged without {@code --tune}). */
    Options apply(Options options) {
        if (tune == null) {
            return options;
        }
        if (tune < 1) {
            throw new UserErrorException("--tune must be at least 1, got " + tune);
        }
        return options.withTune(tune);
    }

    /** Fails when {@code --tune} was given to a path that compiles without the runtime ({@code why}). */
    void rejectWith(String why) {
        if (tune != null) {
            throw new UserErrorException("--tune compiles through the compile cache path; it does not combine with " + why);
        }
    }
}
