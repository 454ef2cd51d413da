package dev.lathe.backend.cpu;

import dev.lathe.backend.cpu.codegen.CodegenException;
import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.loop.LoopOps;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * What a caller of {@code lathe_main} must pass: the inputs and outputs in order and the
 * workspace size, read from {@code @main}'s signature and its {@code inputs}, {@code outputs}
 * and {@code workspace_size} attributes.
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs, long workspaceSize) {

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The {@code @main} function of a lowered module. */
    public static Operation main(Module module) {
        Operation main = module.lookupSymbol("main")
                .orElseThrow(() -> new CodegenException("the module has no @main function (the entry of a lowered model)"));
        if (!main.isA(FuncOps.FUNC) || FuncOps.isDeclaration(main)) {
            throw new CodegenException(main, "@main must be a func.func with a body");
        }
        return main;
    }

    public static ModelSignature of(Module module) {
        Operation main = main(module);
        List<String> inNames = names(main, "inputs");
        List<String> outNames = names(main, "outputs");
        Block body = FuncOps.body(main);
        if (inNames.size() + outNames.size() != body.numArguments()) {
            throw new CodegenException(main, "@main has " + body.numArguments() + " arguments but names "
                    + inNames.size() + " inputs and " + outNames.size() + " outputs");
        }
        List<TensorSpec> inputs = new ArrayList<>();
        List<TensorSpec> outputs = new ArrayList<>();
        for (int i = 0; i < body.numArguments(); i++) {
            Type t = body.argument(i).type();
            if (!(t instanceof MemRefType m)) {
                throw new CodegenException(main, "argument #" + i + " of @main must be a memref, found " + t.text());
            }
            boolean input = i < inNames.size();
            String name = input ? inNames.get(i) : outNames.get(i - inNames.size());
            (input ? inputs : outputs).add(new TensorSpec(name, m.elementType(), m.shape()));
        }
        return new ModelSignature(inputs, outputs, workspaceSize(main));
    }

    private static long workspaceSize(Operation main) {
        if (main.attr("workspace_size") instanceof IntegerAttr size) {
            return size.value();
        }
        for (Operation op : FuncOps.body(main).operations()) {
            if (op.isA(LoopOps.ALLOC)) {
                throw new CodegenException(main, "@main allocates workspace but has no 'workspace_size' (run plan-buffers)");
            }
        }
        return 0;
    }

    private static List<String> names(Operation main, String key) {
        Attribute a = main.attr(key);
        if (!(a instanceof ArrayAttr array)) {
            throw new CodegenException(main, "@main needs a '" + key + "' attribute: an array of tensor names");
        }
        List<String> names = new ArrayList<>();
        for (Attribute e : array.elements()) {
            if (!(e instanceof StringAttr s)) {
                throw new CodegenException(main, "'" + key + "' must hold strings, found " + e.text());
            }
            names.add(s.value());
        }
        return names;
    }
}
