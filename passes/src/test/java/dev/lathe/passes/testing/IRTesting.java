package dev.lathe.passes.testing;

import dev.lathe.frontend.IRParser;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import dev.lathe.passes.PassRegistry;

/** Parse, run and print helpers so pass tests read as IR in, IR out. */
public final class IRTesting {

    private IRTesting() {}

    public static Module parse(String text) {
        return IRParser.parse(text, "test.lir");
    }

    /** Parses {@code ir}, runs {@code pipeline} with verification after each pass, prints the result. */
    public static String run(String pipeline, String ir) {
        Module module = parse(ir);
        new PassManager(PassPipeline.parse(pipeline, PassRegistry.global())).disableCrashReproducer().run(module);
        return IRPrinter.print(module);
    }

    /** The printed form of {@code ir}, to compare a pass's output with. */
    public static String canonical(String ir) {
        return IRPrinter.print(parse(ir));
    }
}
