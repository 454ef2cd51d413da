package dev.lathe.backend.cpu;

import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.Verifier;

/** Test input: loop-dialect text, parsed and verified. */
public final class LoopIr {

    private LoopIr() {}

    public static Module parse(String text) {
        Module m = IRParser.parse(text, "test.lir");
        Verifier.verifyOrThrow(m, false);
        return m;
    }

    /**
     * A model whose {@code @main(%in..., %out...)} calls one kernel {@code @k} with all its
     * arguments; {@code kernelBody} is the kernel's body without {@code func.return}.
     */
    public static Module singleKernel(String inputs, String outputs, String kernelBody) {
        String[] in = inputs.isBlank() ? new String[0] : inputs.split(",\\s*");
        String[] out = outputs.split(",\\s*");
        StringBuilder args = new StringBuilder();
        StringBuilder names = new StringBuilder();
        StringBuilder types = new StringBuilder();
        StringBuilder inNames = new StringBuilder();
        StringBuilder outNames = new StringBuilder();
        for (int i = 0; i < in.length + out.length; i++) {
            boolean isIn = i < in.length;
            String decl = isIn ? in[i] : out[i - in.length];
            String name = decl.substring(0, decl.indexOf(':')).trim();
            String type = decl.substring(decl.indexOf(':') + 1).trim();
            String sep = i == 0 ? "" : ", ";
            args.append(sep).append(name).append(": ").append(type);
            names.append(sep).append(name);
            types.append(sep).append(type);
            StringBuilder list = isIn ? inNames : outNames;
            list.append(list.isEmpty() ? "" : ", ").append('"').append(name.substring(1)).append('"');
        }
        String text = "func.func @k(" + args + ") {\n" + kernelBody + "\n  func.return\n}\n"
                + "func.func @main(" + args + ") attributes {inputs = [" + inNames + "], outputs = [" + outNames + "]} {\n"
                + "  func.call @k(" + names + ") : (" + types + ") -> ()\n  func.return\n}\n";
        return parse(text);
    }
}
