package dev.lathe.backend.cpu.tune;

import dev.lathe.ir.IRMapping;
import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One op of a model cut out into a module of its own: its operands produced by other ops become
 * the function's arguments, its constant operands stay constants (inline, so a GEMM with a constant
 * B still packs B at compile time), its results are returned. What {@link GemmTuner} compiles and
 * times. {@code signature} identifies ops that compile to the same code (name, attributes, types,
 * which operands are constant), so a model's repeated layers are tuned once.
 */
record OneOpFunction(Module module, List<TensorType> inputTypes, String signature) {

    /** Longer attribute texts are abbreviated in the signature (they are constant data, not shape). */
    private static final int ATTR_TEXT_LIMIT = 256;

    /** The op alone, or empty when it cannot stand alone (non-tensor or dynamic types, captured values). */
    static Optional<OneOpFunction> of(Operation op, Module source) {
        if (capturesOuterValues(op)) {
            return Optional.empty();
        }
        StringBuilder sig = new StringBuilder(op.name());
        List<Value> args = new ArrayList<>();
        Map<Value, Attribute> constants = new LinkedHashMap<>();
        for (Value v : op.operands()) {
            if (!(v.type() instanceof TensorType t) || !t.hasStaticShape()) {
                return Optional.empty();
            }
            if (v instanceof OpResult r && NnConstants.isConstant(r.owner())) {
                constants.put(v, NnConstants.valueOf(r.owner(), source));
                sig.append(" const ");
            } else {
                if (!args.contains(v)) {
                    args.add(v);
                }
                sig.append(" arg").append(args.indexOf(v)).append(' ');
            }
            sig.append(t.text());
        }
        for (Type t : op.resultTypes()) {
            if (!(t instanceof TensorType tt) || !tt.hasStaticShape()) {
                return Optional.empty();
            }
            sig.append(" -> ").append(t.text());
        }
        op.attributes().forEach((k, a) -> {
            String text = a.text();
            sig.append(' ').append(k).append('=').append(text.length() <= ATTR_TEXT_LIMIT ? text
                    : text.substring(0, ATTR_TEXT_LIMIT) + "#" + text.hashCode());
        });
        if (op.numResults() == 0) {
            return Optional.empty();
        }
        List<TensorType> inputTypes = args.stream().map(v -> (TensorType) v.type()).toList();
        Module module = Module.create(op.location());
        Operation fn = FuncOps.createFunc("main", FunctionType.of(inputTypes, op.resultTypes()), op.location());
        module.body().append(fn);
        IRMapping mapping = new IRMapping();
        for (int i = 0; i < args.size(); i++) {
            mapping.map(args.get(i), FuncOps.body(fn).argument(i));
        }
        for (Map.Entry<Value, Attribute> c : constants.entrySet()) {
            Operation constant = NnConstants.create(c.getValue(), op.location());
            FuncOps.body(fn).append(constant);
            mapping.map(c.getKey(), constant.result());
        }
        Operation copy = op.clone(mapping);
        FuncOps.body(fn).append(copy);
        FuncOps.body(fn).append(FuncOps.createReturn(copy.results(), op.location()));
        return Optional.of(new OneOpFunction(module, inputTypes, sig.toString()));
    }

    /** Whether an op nested in {@code op} reads a value defined outside {@code op} (it could not be cut out). */
    private static boolean capturesOuterValues(Operation op) {
        boolean[] captures = {false};
        op.walk(inner -> {
            if (inner != op) {
                for (Value v : inner.operands()) {
                    Operation owner = v instanceof OpResult r ? r.owner()
                            : ((dev.lathe.ir.BlockArgument) v).owner().parentOp();
                    if (owner != op && (owner == null || !op.isAncestorOf(owner))) {
                        captures[0] = true;
                    }
                }
            }
        });
        return captures[0];
    }
}
