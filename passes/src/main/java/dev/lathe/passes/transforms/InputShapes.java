package dev.lathe.passes.transforms;

import dev.lathe.ir.BlockArgument;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixes the shapes of a function's inputs (for {@code --input-shape NAME=1x128}), so that
 * {@code infer-shapes} and {@code fold-constants} can turn a model with dynamic dimensions into a
 * static one. A given shape must be compatible with the declared type: same rank, and equal
 * wherever the declared dimension is static.
 */
public final class InputShapes {

    private InputShapes() {}

    /** Parses {@code 1x128} (or {@code 1,128}, or empty for a scalar) into dimensions. */
    public static long[] parseDims(String text) {
        if (text.isBlank()) {
            return new long[0];
        }
        String[] parts = text.strip().split("[x,]");
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = Long.parseLong(parts[i].strip());
            if (dims[i] < 0) {
                throw new NumberFormatException("negative dimension " + dims[i]);
            }
        }
        return dims;
    }

    /** Gives the named arguments of {@code function} the static shapes in {@code shapes}. */
    public static void specialize(Module module, String function, Map<String, long[]> shapes) {
        Operation fn = module.lookupSymbol(function).filter(o -> o.isA(FuncOps.FUNC))
                .orElseThrow(() -> error(module, "no function '@" + function + "' to give input shapes to"));
        Map<String, long[]> remaining = new LinkedHashMap<>(shapes);
        List<Type> inputs = new ArrayList<>();
        for (BlockArgument arg : FuncOps.body(fn).arguments()) {
            long[] dims = remaining.remove(arg.nameHint());
            if (dims != null) {
                arg.setType(refined(module, arg, dims));
            }
            inputs.add(arg.type());
        }
        if (!remaining.isEmpty()) {
            List<String> names = FuncOps.body(fn).arguments().stream().map(BlockArgument::nameHint).toList();
            throw error(module, "'@" + function + "' has no input " + remaining.keySet() + "; its inputs are " + names);
        }
        FuncOps.setType(fn, FunctionType.of(inputs, FuncOps.type(fn).results()));
    }

    private static TensorType refined(Module module, BlockArgument arg, long[] dims) {
        if (!(arg.type() instanceof TensorType declared)) {
            throw error(module, "input '" + arg.nameHint() + "' is not a tensor");
        }
        TensorType wanted = TensorType.of(declared.elementType(), dims);
        if (!wanted.isCompatibleWith(declared)) {
            throw error(module, "input '" + arg.nameHint() + "' is " + declared.text() + "; the shape given makes it "
                    + wanted.text() + ", which does not fit");
        }
        return wanted;
    }

    private static DiagnosticException error(Module module, String message) {
        return new DiagnosticException(Diagnostic.error(module.location(), message));
    }
}
