package dev.lathe.passes.instrument;

import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.PassFailure;
import dev.lathe.passes.PassInstrumentation;

/**
 * Prints the module after passes, under MLIR's header line
 * {@code // -----// IR Dump After cse //----- //}: after every pass, only after passes whose
 * printed IR changed (the text before is kept to compare), and/or after a failing pass.
 */
public final class IRPrintingInstrumentation implements PassInstrumentation {

    private final java.io.PrintStream out;
    private final boolean afterAll;
    private final boolean afterChange;
    private final boolean afterFailure;
    private String before;

    public IRPrintingInstrumentation(java.io.PrintStream out, boolean afterAll, boolean afterChange, boolean afterFailure) {
        this.out = out;
        this.afterAll = afterAll;
        this.afterChange = afterChange;
        this.afterFailure = afterFailure;
    }

    @Override
    public void runBeforePass(Pass pass, Module module) {
        before = afterChange && !afterAll ? IRPrinter.print(module) : null;
    }

    @Override
    public void runAfterPass(Pass pass, Module module, PassContext context) {
        if (afterAll) {
            dump("IR Dump After " + pass.name(), IRPrinter.print(module));
        } else if (afterChange) {
            String after = IRPrinter.print(module);
            if (!after.equals(before)) {
                dump("IR Dump After " + pass.name(), after);
            }
        }
        before = null;
    }

    @Override
    public void runAfterPassFailed(Pass pass, Module module, PassFailure failure) {
        if (afterFailure || afterAll) {
            dump("IR Dump After " + pass.name() + " Failed", IRPrinter.print(module));
        }
        before = null;
    }

    private void dump(String title, String ir) {
        out.println("// -----// " + title + " //----- //");
        out.print(ir);
        out.println();
        out.flush();
    }
}
