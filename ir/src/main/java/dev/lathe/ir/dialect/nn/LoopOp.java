package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesRegions;
import dev.lathe.ir.interp.EvaluatesValues;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.ValueTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code nn.loop}: ONNX Loop. Operands {@code (%max_trip_count, %cond, %v_initial...)}: a
 * one-element i64, a one-element i1 and N loop-carried values. One region whose block takes
 * {@code (%iteration, %cond, %v...)} (iteration number as i64, counting from 0, the condition,
 * the carried values) and yields {@code (%cond_next, %v_next..., %scan...)}: the condition for
 * the next iteration, N carried values and K per-iteration values.
 *
 * <pre>{@code
 * v = v_initial; cond = %cond
 * for (i = 0; i < max_trip_count && cond; i++) { (cond, v, s) = body(i, cond, v); scans.append(s) }
 * }</pre>
 *
 * Results: the N final carried values (the initial ones if the body never ran), then the K
 * per-iteration values stacked along a new leading dimension. ONNX's optional
 * {@code M} and {@code cond} are always operands here: the importer passes INT64_MAX for an
 * absent M, and for an absent cond passes true and has the body yield true (ONNX ignores the
 * body's condition output then).
 *
 * <p>Carried values may be sequences or optionals (ONNX Loop-13 and -16); the interpreter then
 * runs the op through {@link EvaluatesValues}. Stacked values are always tensors.
 *
 * <p>Types ({@link #resultTypes}): carried block arguments and results have the element type
 * and rank of their initial value; their dims may be {@code ?} where an iteration changes them.
 * A stacked result is {@code tensor<?x...>}, its other dims those of the yield. ONNX leaves open
 * what a never-run loop stacks; Lathe gives {@code [0, d...]}, a {@code ?} dim of the yield read
 * as 0. Every iteration must yield one shape for a stacked value (an error at run time).
 *
 * <pre>
 * %y, %s = "nn.loop"(%m, %c, %y0) ({
 * ^bb0(%i: tensor&lt;i64&gt;, %ci: tensor&lt;i1&gt;, %yi: tensor&lt;1xf32&gt;):
 *   ...
 *   "nn.yield"(%ci, %yn, %yn) : (tensor&lt;i1&gt;, tensor&lt;1xf32&gt;, tensor&lt;1xf32&gt;) -&gt; ()
 * }) : (tensor&lt;i64&gt;, tensor&lt;i1&gt;, tensor&lt;1xf32&gt;) -&gt; (tensor&lt;1xf32&gt;, tensor&lt;?x1xf32&gt;)
 * </pre>
 */
public final class LoopOp extends AbstractOpDefinition implements EvaluatesRegions, EvaluatesValues {

    public static final String NAME = "nn.loop";

    public LoopOp() {
        super(NAME, "runs its region while a condition holds, up to a trip count, carrying and stacking values",
                OpSchema.of(2).withOperands(2, OpSchema.VARIADIC).withResults(OpSchema.VARIADIC).withRegions(1),
                Set.of(Trait.PURE));
    }

    /**
     * The result types of a loop with {@code numCarried} carried values whose body has these
     * block argument and yield types: the carried block arguments' types, then each stacked
     * value's yield type under a leading {@code ?}.
     */
    public static List<Type> resultTypes(int numCarried, List<? extends Type> argTypes, List<? extends Type> yieldTypes) {
        List<Type> out = new ArrayList<>();
        for (int j = 0; j < numCarried; j++) {
            out.add(argTypes.get(2 + j));
        }
        for (int k = 1 + numCarried; k < yieldTypes.size(); k++) {
            out.add(RegionBodies.insertDim(RegionBodies.tensor(yieldTypes.get(k), "yield #" + k), 0, TensorType.DYNAMIC));
        }
        return out;
    }

    @Override
    public void verify(Operation op) {
        RegionBodies.requireSingleElement(RegionBodies.tensor(op.operand(0).type(), "the trip count"), ScalarType.I64,
                "the trip count");
        RegionBodies.requireSingleElement(RegionBodies.tensor(op.operand(1).type(), "the condition"), ScalarType.I1,
                "the condition");
        int n = op.numOperands() - 2;
        Block body = RegionBodies.body(op, 0);
        List<Type> args = body.arguments().stream().map(a -> a.type()).toList();
        List<Type> yields = body.last().operandTypes();
        if (args.size() != 2 + n) {
            throw new InvalidOpException("expects the body to take " + (2 + n) + " block arguments (iteration,"
                    + " condition, " + n + " carried), found " + args.size());
        }
        if (yields.size() < 1 + n) {
            throw new InvalidOpException("expects the body to yield at least " + (1 + n) + " values (condition, " + n
                    + " carried), found " + yields.size());
        }
        RegionBodies.requireSingleElement(RegionBodies.tensor(args.get(0), "block argument #0"), ScalarType.I64,
                "block argument #0 (the iteration)");
        RegionBodies.requireSingleElement(RegionBodies.tensor(args.get(1), "block argument #1"), ScalarType.I1,
                "block argument #1 (the condition)");
        RegionBodies.requireSingleElement(RegionBodies.tensor(yields.get(0), "yield #0"), ScalarType.I1,
                "yield #0 (the next condition)");
        int k = yields.size() - 1 - n;
        if (op.numResults() != n + k) {
            throw new InvalidOpException("expects " + (n + k) + " results (" + n + " carried, " + k + " stacked), found "
                    + op.numResults());
        }
        for (int j = 0; j < n; j++) {
            Type arg = args.get(2 + j);
            requireFits(op.operand(2 + j).type(), arg, "initial value #" + j + " (operand #" + (2 + j) + ")");
            requireFits(yields.get(1 + j), arg, "yield #" + (1 + j) + " (carried value #" + j + ")");
            requireFits(op.result(j).type(), arg, "result #" + j);
        }
        List<Type> expected = resultTypes(n, args, yields);
        for (int i = n; i < n + k; i++) {
            RegionBodies.requireCompatible(RegionBodies.tensor(op.result(i).type(), "result #" + i),
                    (TensorType) expected.get(i), "result #" + i + " (stacked)");
        }
    }

    /** A carried value: tensors compatible dim by dim, sequences and optionals element by element. */
    private static void requireFits(Type actual, Type expected, String what) {
        if (actual instanceof TensorType a && expected instanceof TensorType e) {
            RegionBodies.requireCompatible(a, e, what);
        } else if (!ValueTypes.isCompatible(actual, expected) && !ValueTypes.isCompatible(expected, actual)) {
            throw new InvalidOpException("expects " + what + " to be compatible with " + expected.text() + ", found "
                    + actual.text());
        }
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands, RegionRunner regions) {
        return RuntimeValue.tensors(evaluateValues(op, RuntimeValue.wrap(operands), regions), "result");
    }

    /** What the interpreter runs: carried values may be sequences or optionals; stacked ones are tensors. */
    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        DenseElementsAttr trip = operands.get(0).tensor("the trip count");
        if (trip.numElements() != 1) {
            throw new IllegalArgumentException("the trip count must hold one element, found " + trip.type().text());
        }
        long max = trip.getLong(0);
        int n = operands.size() - 2;
        Block body = op.region(0).entryBlock();
        TensorType iterationType = (TensorType) body.argument(0).type();
        TensorType condType = (TensorType) body.argument(1).type();
        boolean cond = RegionBodies.truth(operands.get(1).tensor("the condition"), "the condition");
        List<RuntimeValue> carried = new ArrayList<>(operands.subList(2, operands.size()));
        List<Type> yieldTypes = body.last().operandTypes();
        int k = yieldTypes.size() - 1 - n;
        List<List<DenseElementsAttr>> scans = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            scans.add(new ArrayList<>());
        }
        for (long i = 0; i < max && cond; i++) {
            List<RuntimeValue> args = new ArrayList<>();
            args.add(RuntimeValue.of(RegionBodies.scalarLike(iterationType, i)));
            args.add(RuntimeValue.of(RegionBodies.scalarLike(condType, 1)));
            args.addAll(carried);
            List<RuntimeValue> out = regions.runValues(op.region(0), args);
            cond = RegionBodies.truth(out.get(0).tensor("the condition yielded by the body"),
                    "the condition yielded by the body");
            carried = new ArrayList<>(out.subList(1, 1 + n));
            for (int s = 0; s < k; s++) {
                scans.get(s).add(out.get(1 + n + s).tensor("stacked value #" + s));
            }
        }
        List<RuntimeValue> results = new ArrayList<>(carried);
        for (int s = 0; s < k; s++) {
            TensorType partType = RegionBodies.tensor(yieldTypes.get(1 + n + s), "yield #" + (1 + n + s));
            results.add(RuntimeValue.of(RegionBodies.stack(scans.get(s), 0, partType, "stacked value #" + s)));
        }
        return results;
    }
}
