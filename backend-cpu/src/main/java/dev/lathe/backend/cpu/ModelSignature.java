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
 * workspace size, read from {@code @main}'s signature and its {@code inputs}, {@code outputs},
 * {@code bounded_outputs} and {@code workspace_size} attributes. A bounded output (a result
 * whose shape depends on data, docs/lowering.md#data-dependent-shapes) is listed at its upper
 * bound's shape, and its {@code i64} extent is one more output after the graph's outputs.
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs, long workspaceSize,
        List<Bounded> bounded) {

    /**
     * Output {@code output}'s dim {@code dim} holds data only below the value of the scalar i64
     * output {@code extentOutput}: the tensor is the buffer cut there.
     */
    public record Bounded(int output, int dim, int extentOutput) {}

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        bounded = List.copyOf(bounded);
    }

    public ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs, long workspaceSize) {
        this(inputs, outputs, workspaceSize, List.of());
    }

    /** The bounded form of output {@code j}, or null when its shape is static. */
    public Bounded boundedOutput(int j) {
        return bounded.stream().filter(b -> b.output() == j).findFirst().orElse(null);
    }

    /** Whether output {@code j} is the extent of a bounded output (not a graph output). */
    public boolean isExtent(int j) {
        return bounded.stream().anyMatch(b -> b.extentOutput() == j);
    }

    /** Outputs of the graph: every output but the extents (which come last). */
    public int graphOutputCount() {
        return outputs.size() - bounded.size();
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
        return new ModelSignature(inputs, outputs, workspaceSize(main), bounded(main, outputs));
    }

    private static List<Bounded> bounded(Operation main, List<TensorSpec> outputs) {
        List<Bounded> bounded = new ArrayList<>();
        if (!(main.attr("bounded_outputs") instanceof ArrayAttr array)) {
            return bounded;
        }
        for (Attribute e : array.elements()) {
            if (!(e instanceof ArrayAttr triple) || triple.elements().size() != 3
                    || !triple.elements().stream().allMatch(x -> x instanceof IntegerAttr)) {
                throw new CodegenException(main, "'bounded_outputs' must hold [output, dim, extent output] triples, found "
                        + e.text());
            }
            int[] v = triple.elements().stream().mapToInt(x -> (int) ((IntegerAttr) x).value()).toArray();
            if (v[0] < 0 || v[0] >= outputs.size() || v[2] < 0 || v[2] >= outputs.size()
                    || v[1] < 0 || v[1] >= outputs.get(v[0]).shape().size() || !outputs.get(v[2]).shape().isEmpty()) {
                throw new CodegenException(main, "'bounded_outputs' entry " + e.text() + " does not name an output dim and"
                        + " a scalar extent output");
            }
            bounded.add(new Bounded(v[0], v[1], v[2]));
        }
        return bounded;
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
