package dev.lathe.passes;

import dev.lathe.ir.Module;

/**
 * Hooks around every pass of a pipeline: the one mechanism behind verify-each, IR printing,
 * timing, statistics and crash reproducers. Before-hooks run in registration order and
 * after-hooks in reverse, so instrumentations nest like brackets around the pass.
 */
public interface PassInstrumentation {

    default void runBeforePipeline(Module module, PassPipeline pipeline) {}

    default void runBeforePass(Pass pass, Module module) {}

    /** After a pass that succeeded; may fail it through {@code context} (the verifier does). */
    default void runAfterPass(Pass pass, Module module, PassContext context) {}

    /** After a pass crashed, signalled failure, or was failed by an after-hook. */
    default void runAfterPassFailed(Pass pass, Module module, PassFailure failure) {}

    /** At the end of the pipeline, whether it succeeded or not (reports print here). */
    default void runAfterPipeline(Module module, boolean succeeded) {}
}
