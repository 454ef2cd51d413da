package dev.lathe.passes.lower;

import dev.lathe.costmodel.CostModels;
import dev.lathe.costmodel.MachineModel;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import java.util.List;

/**
 * {@code lower-to-loops}: turns the module's {@code nn} function into {@code loop} code, one
 * kernel per op, called from {@code @main} (docs/lowering.md). Shapes must be static. Every op
 * that cannot be lowered is reported (not only the first), and the module is left unchanged.
 *
 * <p>Options: {@code entry} (the function to lower; default: the module's only function).
 * Counters: {@code kernels}, {@code kernels-shared} (kernels identical to an earlier one, whose
 * calls go to that one), {@code views}, {@code in-place}.
 */
public final class LowerToLoopsPass extends Pass {

    private final Option<String> entry = stringOption("entry", "", "the function to lower (default: the only one)");

    @Override
    public String name() {
        return "lower-to-loops";
    }

    @Override
    public String description() {
        return "lower nn ops to loop kernels over buffers, called from @main";
    }

    @Override
    public void run(Module module, PassContext context) {
        List<Operation> fns = module.functions().stream().filter(f -> !FuncOps.isDeclaration(f)).toList();
        Operation source = entry.get().isEmpty() ? (fns.size() == 1 ? fns.get(0) : null)
                : fns.stream().filter(f -> FuncOps.name(f).equals(entry.get())).findFirst().orElse(null);
        if (source == null) {
            context.fail(module.location(), entry.get().isEmpty()
                    ? "lower-to-loops needs exactly one function or the 'entry' option, found " + fns.size()
                    : "no function @" + entry.get() + " to lower");
            return;
        }
        int before = module.body().size(); // kernels are appended; undone on failure below
        FunctionLowering lowering = new FunctionLowering(module, source, Lowerings.builtin(), CostModels.defaultModel(),
                MachineModel.host());
        Operation main = lowering.run();
        if (main == null) {
            while (module.body().size() > before) {
                module.body().last().erase();
            }
            for (FunctionLowering.Failure f : lowering.failures()) {
                context.emitError(f.location(), f.message());
            }
            context.signalFailure();
            return;
        }
        source.erase();
        if (module.body().isEmpty()) {
            module.body().append(main);
        } else {
            module.body().insertBefore(module.body().first(), main);
        }
        context.add("kernels", lowering.kernels());
        context.add("kernels-shared", lowering.shared());
        context.add("views", lowering.views());
        context.add("in-place", lowering.inPlace());
    }

}
