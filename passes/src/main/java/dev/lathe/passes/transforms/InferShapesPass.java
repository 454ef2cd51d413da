package dev.lathe.passes.transforms;

import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code infer-shapes}: refines result types with each op's {@code inferResultTypes}, in program
 * order so refinements flow to users. A refined type keeps every static dimension known from
 * either the current or the inferred type; two different static sizes are a located error. Then
 * each function's result types are refined from its {@code func.return}, and so are the results
 * of calls to it, whose callers are then refined again, until nothing changes.
 *
 * <p>No options. Counters: {@code types-refined}, {@code functions-refined}, {@code calls-refined}.
 *
 * <pre>
 * func.func @f(%a: tensor<2x3xf32>) -> tensor<?x3xf32> {
 *   %0 = "nn.relu"(%a) : (tensor<2x3xf32>) -> tensor<?x?xf32>
 * // becomes
 * func.func @f(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
 *   %0 = "nn.relu"(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
 * </pre>
 */
public final class InferShapesPass extends Pass {

    @Override
    public String name() {
        return "infer-shapes";
    }

    @Override
    public String description() {
        return "refine result types from operand types, through functions and their calls";
    }

    @Override
    public void run(Module module, PassContext context) {
        new Run(module, context).run();
    }

    /** The state of one run over a module. */
    private static final class Run {
        private final Module module;
        private final PassContext context;
        private final PatternRewriter rewriter = new PatternRewriter();
        private final Set<Operation> reported = new HashSet<>(); // one error per op, however often it is revisited
        private final Map<String, List<Operation>> callsByCallee = new HashMap<>();

        Run(Module module, PassContext context) {
            this.module = module;
            this.context = context;
        }

        void run() {
            module.walk(op -> {
                if (op.isA(FuncOps.CALL)) {
                    callsByCallee.computeIfAbsent(FuncOps.callee(op), k -> new ArrayList<>()).add(op);
                }
            });
            ArrayDeque<Operation> worklist = new ArrayDeque<>();
            for (Operation fn : module.functions()) {
                if (!FuncOps.isDeclaration(fn)) {
                    worklist.add(fn);
                }
            }
            while (!worklist.isEmpty()) {
                Operation fn = worklist.poll();
                fn.walk(op -> {
                    if (op != fn) {
                        refineResults(op);
                    }
                });
                if (refineSignature(fn)) {
                    for (Operation caller : refineCalls(fn)) {
                        if (!worklist.contains(caller)) {
                            worklist.add(caller);
                        }
                    }
                }
            }
            if (!reported.isEmpty()) {
                context.signalFailure();
            }
        }

        private void refineResults(Operation op) {
            if (op.definition() == null || op.numResults() == 0) {
                return;
            }
            List<Type> inferred;
            try {
                inferred = op.definition().inferResultTypes(op.operandTypes(), op.attributes());
            } catch (InvalidOpException e) {
                error(op, e.getMessage());
                return;
            }
            if (inferred == null || inferred.size() != op.numResults()) {
                return; // no inference, or a count mismatch the verifier reports
            }
            for (int i = 0; i < inferred.size(); i++) {
                Type current = op.result(i).type();
                Type merged = merge(current, inferred.get(i));
                if (merged == null) {
                    error(op, "result #" + i + " has type " + current.text() + " but its operands give "
                            + inferred.get(i).text());
                } else if (merged != current) {
                    int index = i;
                    rewriter.modifyOpInPlace(op, () -> op.result(index).setType(merged));
                    context.increment("types-refined");
                }
            }
        }

        /** Refines the function's result types from what its returns return; true if changed. */
        private boolean refineSignature(Operation fn) {
            FunctionType type = FuncOps.type(fn);
            List<Type> results = new ArrayList<>(type.results());
            for (Block block : fn.region(0).blocks()) {
                Operation ret = block.last();
                if (ret == null || !ret.isA(FuncOps.RETURN) || ret.numOperands() != results.size()) {
                    continue; // the verifier reports malformed returns
                }
                for (int i = 0; i < results.size(); i++) {
                    Type merged = merge(results.get(i), ret.operand(i).type());
                    if (merged == null) {
                        error(ret, "operand #" + i + " has type " + ret.operand(i).type().text()
                                + " but the function returns " + results.get(i).text());
                    } else {
                        results.set(i, merged);
                    }
                }
            }
            if (results.equals(type.results())) {
                return false;
            }
            rewriter.modifyOpInPlace(fn, () -> FuncOps.setType(fn, FunctionType.of(type.inputs(), results)));
            context.increment("functions-refined");
            return true;
        }

        /** Refines the results of calls to {@code fn}; returns the functions holding changed calls. */
        private List<Operation> refineCalls(Operation fn) {
            List<Operation> callers = new ArrayList<>();
            List<Type> results = FuncOps.type(fn).results();
            for (Operation call : callsByCallee.getOrDefault(FuncOps.name(fn), List.of())) {
                if (call.numResults() != results.size()) {
                    continue;
                }
                boolean changed = false;
                for (int i = 0; i < results.size(); i++) {
                    Type current = call.result(i).type();
                    Type merged = merge(current, results.get(i));
                    if (merged == null) {
                        error(call, "result #" + i + " has type " + current.text() + " but @" + FuncOps.name(fn)
                                + " returns " + results.get(i).text());
                    } else if (merged != current) {
                        int index = i;
                        rewriter.modifyOpInPlace(call, () -> call.result(index).setType(merged));
                        changed = true;
                    }
                }
                Operation caller = enclosingFunction(call);
                if (changed) {
                    context.increment("calls-refined");
                    if (caller != null && !callers.contains(caller)) {
                        callers.add(caller);
                    }
                }
            }
            return callers;
        }

        private static Operation enclosingFunction(Operation op) {
            Operation p = op.parentOp();
            while (p != null && !p.isA(FuncOps.FUNC)) {
                p = p.parentOp();
            }
            return p;
        }

        private void error(Operation op, String message) {
            if (reported.add(op)) {
                context.emitError(op.location(), "'" + op.name() + "' op " + message);
            }
        }
    }

    /**
     * The most static type both types describe, or null when they conflict: equal types, or
     * tensors of one rank and element type whose static sizes agree.
     */
    static Type merge(Type current, Type inferred) {
        return merge(current, inferred, false);
    }

    /**
     * Sequences and optionals merge element by element; inside them a bare element type (a tensor
     * of unknown rank) merges with any tensor of that element type, so a sequence input
     * specialized to its elements refines the declared {@code !nn.sequence<f32>}.
     */
    private static Type merge(Type current, Type inferred, boolean inContainer) {
        if (current == inferred) {
            return current;
        }
        if (current instanceof SequenceType a && inferred instanceof SequenceType b) {
            Type e = merge(a.element(), b.element(), true);
            return e == null ? null : SequenceType.of(e);
        }
        if (current instanceof OptionalType a && inferred instanceof OptionalType b) {
            Type e = merge(a.element(), b.element(), true);
            return e == null ? null : OptionalType.of(e);
        }
        if (current instanceof OptionalType a && !(inferred instanceof OptionalType)) {
            Type e = merge(a.element(), inferred, true); // a present value stands for the optional
            return e == null ? null : OptionalType.of(e);
        }
        if (inContainer && current instanceof ScalarType s && inferred instanceof TensorType t) {
            return t.elementType() == s ? t : null;
        }
        if (inContainer && current instanceof TensorType t && inferred instanceof ScalarType s) {
            return t.elementType() == s ? t : null;
        }
        if (!(current instanceof TensorType a) || !(inferred instanceof TensorType b) || !a.isCompatibleWith(b)) {
            return null;
        }
        List<Long> shape = new ArrayList<>(a.rank());
        for (int i = 0; i < a.rank(); i++) {
            shape.add(a.isDynamic(i) ? b.dim(i) : a.dim(i));
        }
        return a.withShape(shape);
    }
}
