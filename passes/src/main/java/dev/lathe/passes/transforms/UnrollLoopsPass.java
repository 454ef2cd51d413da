package dev.lathe.passes.transforms;

import dev.lathe.ir.Block;
import dev.lathe.ir.IRMapping;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.LoopOp;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.dialect.nn.OptionalOp;
import dev.lathe.ir.dialect.nn.ScanOp;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code unroll-loops}: replaces each {@code nn.loop} whose trip count and condition are
 * compile-time constants, and each {@code nn.scan} whose scanned length is static, by copies of
 * its body, one per iteration, placed before it. Carried values flow from one copy to the next;
 * per-iteration values are stacked with {@code nn.unsqueeze} + {@code nn.concat} (an empty
 * stack is a constant of zero elements). Unrolling is what lets a carried value change shape
 * from one iteration to the next (ONNX Loop's growing scan outputs and sequences): each copy
 * has its own static types. Shapes are simplified ({@code simplify-shapes}) before and after,
 * and between iterations when the condition a copy yields is not yet a constant.
 *
 * <p>Options: {@code max-trips} (default 64): a loop that would run more iterations, or a scan
 * longer than that, is an error naming the limit (the code grows with every copy);
 * {@code require-all} (default false): a loop or scan left afterwards (its trip count or
 * condition depends on run-time values, or its length is dynamic) is an error saying why; the
 * CPU backend sets it, since it lowers no loop op.
 *
 * <p>Counters: {@code loops-unrolled}, {@code scans-unrolled}, {@code iterations}.
 *
 * <pre>
 * %y = "nn.loop"(%three, %true, %y0) ({
 * ^bb0(%i: tensor&lt;i64&gt;, %c: tensor&lt;i1&gt;, %yi: tensor&lt;2xf32&gt;):
 *   %n = "nn.add"(%yi, %yi) ...   "nn.yield"(%c, %n) ...
 * }) ...
 * // becomes
 * %n0 = "nn.add"(%y0, %y0) ...  %n1 = "nn.add"(%n0, %n0) ...  %n2 = "nn.add"(%n1, %n1) ...   (uses of %y: %n2)
 * </pre>
 */
public final class UnrollLoopsPass extends Pass {

    private final Option<Long> maxTrips = longOption("max-trips", 64,
            "most iterations a loop or scan may be unrolled to (more is an error)");
    private final Option<Boolean> requireAll = booleanOption("require-all", false,
            "report every nn.loop and nn.scan that cannot be unrolled as an error");

    @Override
    public String name() {
        return "unroll-loops";
    }

    @Override
    public String description() {
        return "unroll nn.loop with constant trip count and condition, and nn.scan of static length";
    }

    @Override
    public void run(Module module, PassContext context) {
        boolean[] any = {false};
        module.walk((Operation op) -> any[0] |= op.isA(LoopOp.NAME) || op.isA(ScanOp.NAME));
        if (!any[0]) {
            return; // nothing to do: spare the shape simplification
        }
        if (!simplify(module, context)) {
            return;
        }
        for (Operation op = nextUnrollable(module); op != null; op = nextUnrollable(module)) {
            boolean ok = op.isA(LoopOp.NAME) ? unrollLoop(module, op, context) : unrollScan(op, context);
            if (!ok || !simplify(module, context)) {
                return;
            }
        }
        if (requireAll.get()) {
            module.walk((Operation op) -> {
                if (op.isA(LoopOp.NAME) || op.isA(ScanOp.NAME)) {
                    context.emitError(op.location(), "'" + op.name() + "' op cannot be unrolled: " + whyNot(op)
                            + "; the CPU backend needs loops it can unroll (at most " + maxTrips.get() + " iterations)");
                    context.signalFailure();
                }
            });
        }
    }

    /** The first loop or scan directly in a function body that can be unrolled now. */
    private Operation nextUnrollable(Module module) {
        for (Operation fn : module.functions()) {
            if (FuncOps.isDeclaration(fn)) {
                continue;
            }
            for (Block block : fn.region(0).blocks()) {
                for (Operation op : block.operations()) {
                    if ((op.isA(LoopOp.NAME) || op.isA(ScanOp.NAME)) && whyNot(op) == null) {
                        return op;
                    }
                }
            }
        }
        return null;
    }

    /** Why {@code op} cannot be unrolled, or null when it can. */
    private static String whyNot(Operation op) {
        if (!(op.parentOp() != null && op.parentOp().isA(FuncOps.FUNC))) {
            return "it is nested in a region that stays";
        }
        if (op.region(0).blocks().size() != 1) {
            return "its body is not one block";
        }
        if (op.isA(LoopOp.NAME)) {
            if (constantInt(op.operand(0)) == null) {
                return "its trip count is not a compile-time constant";
            }
            return constantInt(op.operand(1)) == null ? "its condition is not a compile-time constant" : null;
        }
        int m = (int) ((IntegerAttr) op.attr("num_scan_inputs")).value();
        long[] axes = longs(op.attr("scan_input_axes"), m);
        for (int i = 0; i < m; i++) {
            Type t = op.operand(op.numOperands() - m + i).type();
            if (!(t instanceof TensorType x) || x.isDynamic((int) axes[i])) {
                return "the length of scanned input #" + i + " is not static";
            }
        }
        return null;
    }

    private boolean unrollLoop(Module module, Operation op, PassContext context) {
        Block body = op.region(0).entryBlock();
        int n = op.numOperands() - 2;
        int k = body.terminator().numOperands() - 1 - n;
        long trip = constantInt(op.operand(0));
        boolean cond = constantInt(op.operand(1)) != 0;
        PatternRewriter rewriter = new PatternRewriter();
        List<Operation> iterations = new ArrayList<>(); // each copy's yield, kept in the block so folding updates it
        List<Value> carried = new ArrayList<>(op.operands().subList(2, op.numOperands()));
        for (long i = 0; i < trip && cond; i++) {
            if (i == maxTrips.get()) {
                erase(iterations);
                context.fail(op.location(), "'nn.loop' op runs more than " + maxTrips.get()
                        + " iterations (trip count " + trip + "); unroll-loops unrolls at most max-trips="
                        + maxTrips.get());
                return false;
            }
            List<Value> args = new ArrayList<>();
            args.add(constant(rewriter, op, (TensorType) body.argument(0).type(), i));
            args.add(constant(rewriter, op, (TensorType) body.argument(1).type(), 1)); // ONNX: cond_in is true
            args.addAll(carried);
            Operation yield = cloneBody(rewriter, op, args);
            iterations.add(yield);
            Long next = constantInt(yield.operand(0));
            if (next == null) { // the condition is computed: fold what this copy added
                if (!simplify(module, context)) {
                    return false;
                }
                next = constantInt(yield.operand(0));
            }
            if (next == null) {
                erase(iterations);
                context.fail(op.location(), "'nn.loop' op cannot be unrolled: the condition its body yields in"
                        + " iteration " + i + " is not a compile-time constant");
                return false;
            }
            cond = next != 0;
            carried = new ArrayList<>(yield.operands().subList(1, 1 + n));
        }
        List<Value> results = new ArrayList<>(carried);
        for (int s = 0; s < k; s++) {
            List<Value> parts = new ArrayList<>();
            for (Operation yield : iterations) {
                parts.add(yield.operand(1 + n + s));
            }
            results.add(stack(rewriter, op, parts, 0, (TensorType) op.result(n + s).type()));
        }
        rewriter.replaceOp(op, results);
        erase(iterations);
        context.increment("loops-unrolled");
        context.add("iterations", iterations.size());
        return true;
    }

    private boolean unrollScan(Operation op, PassContext context) {
        Block body = op.region(0).entryBlock();
        int m = (int) ((IntegerAttr) op.attr("num_scan_inputs")).value();
        int n = op.numOperands() - m;
        int k = body.terminator().numOperands() - n;
        long[] inAxes = longs(op.attr("scan_input_axes"), m);
        long[] inDirections = longs(op.attr("scan_input_directions"), m);
        long[] outAxes = longs(op.attr("scan_output_axes"), k);
        long[] outDirections = longs(op.attr("scan_output_directions"), k);
        long length = ((TensorType) op.operand(n).type()).dim((int) inAxes[0]);
        if (length > maxTrips.get()) {
            context.fail(op.location(), "'nn.scan' op scans " + length + " steps; unroll-loops unrolls at most"
                    + " max-trips=" + maxTrips.get());
            return false;
        }
        PatternRewriter rewriter = new PatternRewriter();
        List<Operation> iterations = new ArrayList<>();
        List<Value> states = new ArrayList<>(op.operands().subList(0, n));
        for (long t = 0; t < length; t++) {
            List<Value> args = new ArrayList<>(states);
            for (int i = 0; i < m; i++) {
                long index = inDirections[i] == 1 ? length - 1 - t : t;
                args.add(slice(rewriter, op, op.operand(n + i), (int) inAxes[i], index));
            }
            Operation yield = cloneBody(rewriter, op, args);
            iterations.add(yield);
            states = new ArrayList<>(yield.operands().subList(0, n));
        }
        List<Value> results = new ArrayList<>(states);
        for (int s = 0; s < k; s++) {
            List<Value> parts = new ArrayList<>();
            for (Operation yield : iterations) {
                parts.add(yield.operand(n + s));
            }
            if (outDirections[s] == 1) {
                Collections.reverse(parts);
            }
            results.add(stack(rewriter, op, parts, (int) outAxes[s], (TensorType) op.result(n + s).type()));
        }
        rewriter.replaceOp(op, results);
        erase(iterations);
        context.increment("scans-unrolled");
        context.add("iterations", iterations.size());
        return true;
    }

    /**
     * A copy of {@code op}'s body before it, with its block arguments bound to {@code args};
     * returns the copy of its {@code nn.yield}, inserted too so that folding keeps its operands
     * current (it is a terminator, so nothing erases it; the caller does).
     */
    private static Operation cloneBody(PatternRewriter rewriter, Operation op, List<Value> args) {
        Block body = op.region(0).entryBlock();
        IRMapping mapping = new IRMapping();
        rewriter.setInsertionPointBefore(op);
        for (int i = 0; i < args.size(); i++) {
            Value arg = args.get(i);
            if (body.argument(i).type() instanceof OptionalType && !(arg.type() instanceof OptionalType)) {
                // a present value carried where the body takes an optional (ONNX allows it): wrap it,
                // so the copy's optional ops see an optional and fold
                arg = rewriter.create(OptionalOp.NAME, List.of(arg), List.of(OptionalType.of(arg.type())), Map.of(),
                        op.location()).result(0);
            }
            mapping.map(body.argument(i), arg);
        }
        Operation copy = null;
        for (Operation inner : body.operations()) {
            copy = rewriter.insert(inner.clone(mapping));
        }
        return copy;
    }

    private static void erase(List<Operation> yields) {
        for (Operation y : yields) {
            if (y.block() != null) {
                y.erase();
            }
        }
    }

    /** Element {@code index} of {@code x} along {@code axis}, that axis removed: a gather at a scalar index. */
    private static Value slice(PatternRewriter rewriter, Operation op, Value x, int axis, long index) {
        Value i = constant(rewriter, op, TensorType.of(ScalarType.I64), index);
        return create(rewriter, op, "nn.gather", List.of(x, i), Map.of("axis", IntegerAttr.of(axis)));
    }

    /**
     * {@code parts} stacked along a new dim {@code axis}; no parts give a constant of
     * {@code resultType} with that dim 0 (and any other dynamic dim read as 0, as the interpreter does).
     */
    private static Value stack(PatternRewriter rewriter, Operation op, List<Value> parts, int axis,
            TensorType resultType) {
        if (parts.isEmpty()) {
            List<Long> dims = new ArrayList<>();
            for (int d = 0; d < resultType.rank(); d++) {
                dims.add(d == axis || resultType.isDynamic(d) ? 0L : resultType.dim(d));
            }
            TensorType empty = resultType.withShape(dims);
            rewriter.setInsertionPointBefore(op);
            return rewriter.insert(NnConstants.create(DenseElementsAttr.fromBytes(empty, new byte[0]),
                    op.location())).result(0);
        }
        List<Value> unsqueezed = new ArrayList<>();
        for (Value p : parts) {
            unsqueezed.add(create(rewriter, op, "nn.unsqueeze", List.of(p), Map.of("axes", ArrayAttr.ofLongs(axis))));
        }
        return unsqueezed.size() == 1 ? unsqueezed.get(0)
                : create(rewriter, op, "nn.concat", unsqueezed, Map.of("axis", IntegerAttr.of(axis)));
    }

    private static Value create(PatternRewriter rewriter, Operation op, String name, List<Value> operands,
            Map<String, Attribute> attrs) {
        List<Type> types = DialectRegistry.global().lookup(name).orElseThrow()
                .inferResultTypes(operands.stream().map(Value::type).toList(), attrs);
        rewriter.setInsertionPointBefore(op);
        return rewriter.create(name, operands, types, attrs, op.location()).result(0);
    }

    /** A constant of {@code type} (one element; dynamic dims read as 1) holding {@code value}. */
    private static Value constant(PatternRewriter rewriter, Operation op, TensorType type, long value) {
        List<Long> dims = new ArrayList<>();
        for (int d = 0; d < type.rank(); d++) {
            dims.add(1L);
        }
        Location loc = op.location();
        rewriter.setInsertionPointBefore(op);
        return rewriter.insert(NnConstants.create(DenseElementsAttr.fromLongs(type.withShape(dims), value), loc))
                .result(0);
    }

    private static Long constantInt(Value v) {
        if (v instanceof OpResult r && NnConstants.isConstant(r.owner())
                && r.owner().attr("value") instanceof DenseElementsAttr d && d.numElements() == 1) {
            return d.getLong(0);
        }
        return null;
    }

    private static long[] longs(Attribute a, int size) {
        long[] out = new long[size];
        if (a instanceof ArrayAttr array) {
            for (int i = 0; i < size && i < array.size(); i++) {
                out[i] = ((IntegerAttr) array.elements().get(i)).value();
            }
        }
        return out;
    }

    /** {@code simplify-shapes} on the whole module; false (with its errors passed on) when it fails. */
    private static boolean simplify(Module module, PassContext context) {
        SimplifyShapesPass pass = new SimplifyShapesPass();
        PassContext inner = new PassContext(pass);
        pass.run(module, inner);
        inner.diagnostics().forEach(context::emit);
        if (inner.failed()) {
            context.signalFailure();
            return false;
        }
        return true;
    }
}
