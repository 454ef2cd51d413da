package dev.lathe.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The pass-manager flags every subcommand that runs a pipeline takes ({@code opt}, {@code import}),
 * as a picocli mixin so they are spelled, documented and wired the same way everywhere.
 */
public final class PassOptions {

    @Option(names = "--pass-pipeline", paramLabel = "P", defaultValue = "",
            description = "comma-separated passes, e.g. canonicalize,cse,fold-constants{max-inline-elements=16};"
                    + " 'default' names the standard pipeline")
    String pipeline;

    @Option(names = "--no-verify-each", description = "do not verify the IR after each pass")
    boolean noVerifyEach;

    @Option(names = "--print-ir-after-all", description = "print the IR after every pass (to stderr)")
    boolean printIrAfterAll;

    @Option(names = "--print-ir-after-change", description = "print the IR after each pass that changed it")
    boolean printIrAfterChange;

    @Option(names = "--print-ir-after-failure", description = "print the IR when a pass fails")
    boolean printIrAfterFailure;

    @Option(names = "--timing", description = "report the wall time of each pass")
    boolean timing;

    @Option(names = "--stats", description = "report each pass's counters and op counts before/after")
    boolean statistics;

    @Option(names = "--reproducer-dir", paramLabel = "DIR",
            description = "where a crashing pass writes its reproducer .lir (default: the temp dir)")
    Path reproducerDir;

    /** The driver options these flags give, with the subcommand's own two switches. */
    OptDriver.Options toOptions(boolean allowUnregistered, boolean printLocations) {
        return new OptDriver.Options(pipeline, allowUnregistered, !noVerifyEach, printIrAfterAll, printIrAfterChange,
                printIrAfterFailure, timing, statistics, reproducerDir, printLocations);
    }
}
