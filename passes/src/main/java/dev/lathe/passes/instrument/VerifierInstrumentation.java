package dev.lathe.passes.instrument;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Module;
import dev.lathe.ir.Verifier;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.PassInstrumentation;
import dev.lathe.passes.PassPipeline;
import java.util.List;

/**
 * Verifies the input before the pipeline and the IR after every pass, so a broken invariant is
 * blamed on the pass that broke it rather than on a later one that trips over it.
 */
public final class VerifierInstrumentation implements PassInstrumentation {

    private final boolean allowUnregistered;

    public VerifierInstrumentation(boolean allowUnregistered) {
        this.allowUnregistered = allowUnregistered;
    }

    @Override
    public void runBeforePipeline(Module module, PassPipeline pipeline) {
        List<Diagnostic> problems = Verifier.verify(module, allowUnregistered);
        if (!problems.isEmpty()) {
            throw new DiagnosticException(problems); // bad input, before any pass is to blame
        }
    }

    @Override
    public void runAfterPass(Pass pass, Module module, PassContext context) {
        List<Diagnostic> problems = Verifier.verify(module, allowUnregistered);
        if (!problems.isEmpty()) {
            problems.forEach(context::emit);
            context.signalInvalidIR();
        }
    }
}
