package dev.lathe.backend.cpu;

import dev.lathe.ir.Block;
import dev.lathe.ir.BlockArgument;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Location;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.OptionalOp;
import dev.lathe.ir.dialect.nn.SequenceConstructOp;
import dev.lathe.ir.dialect.nn.SequenceEmptyOp;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.ValueTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sequences and optionals at the boundary of a specialized function
 * (docs/backend-cpu.md#sequences-and-optionals). Native code takes and gives only tensors, so:
 * before the graph passes, a sequence input of known length becomes that many tensor arguments
 * gathered by {@code nn.sequence_construct} (an empty one {@code nn.sequence_empty}), and an
 * optional input an {@code nn.optional} of its value's arguments or of nothing; the
 * canonicalization patterns then resolve the sequence ops over them. After the graph passes,
 * each sequence or optional the function returns must be built by those same ops, and is
 * returned as its tensors. No sequence or optional may be left for {@code lower-to-loops}.
 */
final class SequenceBoundary {

    private SequenceBoundary() {}

    /**
     * Replaces the function's arguments by one tensor argument per tensor of {@code inputs}
     * (typed by {@code flatTypes}), rebuilding each sequence or optional input from them at the
     * start of the body. Does nothing when every input is a tensor.
     */
    static void expandInputs(Operation fn, List<BoundaryValue> inputs, List<TensorType> flatTypes) {
        if (BoundaryValue.allTensors(inputs)) {
            return;
        }
        Block body = FuncOps.body(fn);
        int oldCount = body.numArguments();
        if (inputs.size() != oldCount) {
            throw new IllegalArgumentException("the function takes " + oldCount + " inputs, the call gives "
                    + inputs.size());
        }
        Operation first = body.isEmpty() ? null : body.first();
        for (int i = 0; i < oldCount; i++) {
            BlockArgument old = body.argument(i);
            String name = old.nameHint() != null ? old.nameHint() : "arg" + i;
            Value v = materialize(body, first, inputs.get(i), old.type(), flatTypes, name, fn.location());
            old.replaceAllUsesWith(v);
        }
        for (int i = 0; i < oldCount; i++) {
            body.eraseArgument(0);
        }
        List<Type> types = body.arguments().stream().map(Value::type).toList();
        FuncOps.setType(fn, FunctionType.of(types, FuncOps.type(fn).results()));
    }

    private static Value materialize(Block body, Operation before, BoundaryValue input, Type declared,
            List<TensorType> flatTypes, String name, Location loc) {
        switch (input) {
            case BoundaryValue.Tensor t -> {
                if (!(declared instanceof TensorType) && !(declared instanceof ScalarType)) {
                    throw new IllegalArgumentException("input '" + name + "' is declared " + declared.text()
                            + " but the call gives a tensor");
                }
                BlockArgument arg = body.addArgument(flatTypes.get(t.index()));
                arg.setNameHint(name);
                return arg;
            }
            case BoundaryValue.Sequence s -> {
                if (!(declared instanceof SequenceType seq)) {
                    throw new IllegalArgumentException("input '" + name + "' is declared " + declared.text()
                            + " but the call gives a sequence");
                }
                List<Value> elements = new ArrayList<>();
                for (int k = 0; k < s.elements().size(); k++) {
                    elements.add(materialize(body, before, s.elements().get(k), seq.element(), flatTypes,
                            name + "_" + k, loc));
                }
                if (elements.isEmpty()) {
                    ScalarType dtype = ValueTypes.elementType(seq.element());
                    if (dtype == null) {
                        throw new IllegalArgumentException("input '" + name + "' is an empty " + declared.text()
                                + ": the cpu backend takes sequences of tensors only");
                    }
                    return insert(body, before, Operation.create(SequenceEmptyOp.NAME, List.of(),
                            List.of(SequenceType.of(dtype)), Map.of("dtype", new TypeAttr(dtype)), loc));
                }
                List<Type> type = new SequenceConstructOp().inferResultTypes(
                        elements.stream().map(Value::type).toList(), Map.of());
                return insert(body, before, Operation.create(SequenceConstructOp.NAME, elements, type, Map.of(), loc));
            }
            case BoundaryValue.Optional o -> {
                if (!(declared instanceof OptionalType opt)) {
                    throw new IllegalArgumentException("input '" + name + "' is declared " + declared.text()
                            + " but the call gives an optional");
                }
                if (o.value() == null) {
                    return insert(body, before, Operation.create(OptionalOp.NAME, List.of(), List.of(declared),
                            Map.of(), loc));
                }
                Value inner = materialize(body, before, o.value(), opt.element(), flatTypes, name, loc);
                return insert(body, before, Operation.create(OptionalOp.NAME, List.of(inner),
                        List.of(OptionalType.of(inner.type())), Map.of(), loc));
            }
        }
    }

    private static Value insert(Block body, Operation before, Operation op) {
        if (before == null) {
            body.append(op);
        } else {
            body.insertBefore(before, op);
        }
        return op.result(0);
    }

    /**
     * Returns each sequence or optional result as its tensors, and says how to rebuild the
     * results from them. Throws naming the result when one is not built by
     * {@code nn.sequence_construct}, {@code nn.sequence_empty} or {@code nn.optional} (its length
     * or presence was not resolved at compile time).
     */
    static List<BoundaryValue> flattenOutputs(Operation fn) {
        Block body = FuncOps.body(fn);
        Operation ret = body.terminator();
        Signature signature = Signature.of(fn);
        List<Value> flat = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<BoundaryValue> layout = new ArrayList<>();
        for (int i = 0; i < ret.numOperands(); i++) {
            layout.add(flatten(ret.operand(i), signature.outputs().get(i).name(), flat, names));
        }
        if (BoundaryValue.allTensors(layout)) {
            return layout;
        }
        ret.setOperands(flat);
        FuncOps.setType(fn, FunctionType.of(FuncOps.type(fn).inputs(), flat.stream().map(Value::type).toList()));
        Signature.setResultNames(fn, names);
        return layout;
    }

    private static BoundaryValue flatten(Value v, String name, List<Value> flat, List<String> names) {
        if (v.type() instanceof TensorType) {
            flat.add(v);
            names.add(name);
            return new BoundaryValue.Tensor(flat.size() - 1);
        }
        Operation def = v instanceof OpResult r ? r.owner() : null;
        if (def != null && (def.isA(SequenceConstructOp.NAME) || def.isA(SequenceEmptyOp.NAME))) {
            List<BoundaryValue> elements = new ArrayList<>();
            for (int k = 0; k < def.numOperands(); k++) {
                elements.add(flatten(def.operand(k), name + "_" + k, flat, names));
            }
            return new BoundaryValue.Sequence(elements);
        }
        if (def != null && def.isA(OptionalOp.NAME)) {
            return new BoundaryValue.Optional(def.numOperands() == 0 ? null
                    : flatten(def.operand(0), name, flat, names));
        }
        throw new DiagnosticException(new Diagnostic(Diagnostic.Severity.ERROR,
                def != null ? def.location() : Location.UNKNOWN,
                "output '" + name + "' is a " + v.type().text() + " whose length or presence is not known at compile"
                        + " time (it comes from " + (def != null ? "'" + def.name() + "'" : "an argument")
                        + "); the cpu backend compiles sequences and optionals only when they resolve to tensors"));
    }

    /** Throws naming the first op that still takes or gives a sequence or an optional. */
    static void requireTensorsOnly(Operation fn) {
        fn.walk(op -> {
            if (op == fn) {
                return;
            }
            for (Type t : op.resultTypes()) {
                failIfContainer(op, t);
            }
            for (Type t : op.operandTypes()) {
                failIfContainer(op, t);
            }
        });
    }

    private static void failIfContainer(Operation op, Type t) {
        if (t instanceof SequenceType || t instanceof OptionalType) {
            throw new DiagnosticException(new Diagnostic(Diagnostic.Severity.ERROR, op.location(),
                    "'" + op.name() + "' op works on a " + t.text() + " that specialization did not resolve (a"
                            + " sequence position or length, or a loop's trip count, that depends on run-time"
                            + " values); the cpu backend lowers no sequence or optional"));
        }
    }
}
