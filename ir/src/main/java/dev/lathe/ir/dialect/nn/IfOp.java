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
 * {@code nn.if}: ONNX If. One operand, the condition (one {@code i1} element, any rank whose
 * dims are 1); two regions without block arguments, {@code then} and {@code else}, each ending
 * in {@code nn.yield} with one value per result. Runs the {@code then} region when the
 * condition is true, else the {@code else} region, and returns what it yields. The regions may
 * use values defined above the op (ONNX outer-scope names).
 *
 * <p>Result {@code i} has the type both branches' yield {@code i} fit ({@link #resultTypes}):
 * one element type and rank, a dim that differs between the branches is {@code ?}. ONNX lets
 * the branches differ in rank; Lathe needs one rank per tensor result. Branches may also yield
 * sequences or optionals ({@code !nn.sequence<...>}, {@code !nn.optional<...>}), joined by
 * {@link ValueTypes#join}; the interpreter then runs the op through {@link EvaluatesValues}.
 *
 * <pre>
 * %r = "nn.if"(%cond) ({
 *   "nn.yield"(%a) : (tensor&lt;5xf32&gt;) -&gt; ()
 * }, {
 *   "nn.yield"(%b) : (tensor&lt;5xf32&gt;) -&gt; ()
 * }) : (tensor&lt;i1&gt;) -&gt; tensor&lt;5xf32&gt;
 * </pre>
 *
 * Not foldable by reference semantics ({@link #hasReferenceSemantics()} is false): the
 * interpreter runs it through {@link EvaluatesRegions}.
 */
public final class IfOp extends AbstractOpDefinition implements EvaluatesRegions, EvaluatesValues {

    public static final String NAME = "nn.if";

    public IfOp() {
        super(NAME, "runs its then or else region by a boolean condition",
                OpSchema.of(1).withResults(OpSchema.VARIADIC).withRegions(2), Set.of(Trait.PURE));
    }

    /** The result types of an If whose branches yield these types (each pair joined). */
    public static List<Type> resultTypes(List<? extends Type> thenTypes, List<? extends Type> elseTypes) {
        if (thenTypes.size() != elseTypes.size()) {
            throw new InvalidOpException("expects both branches to yield as many values, found " + thenTypes.size()
                    + " (then) and " + elseTypes.size() + " (else)");
        }
        List<Type> out = new ArrayList<>();
        for (int i = 0; i < thenTypes.size(); i++) {
            Type a = thenTypes.get(i);
            Type b = elseTypes.get(i);
            if (a instanceof TensorType || b instanceof TensorType) {
                out.add(RegionBodies.join(RegionBodies.tensor(a, "then yield #" + i),
                        RegionBodies.tensor(b, "else yield #" + i), "yield #" + i + " of the two branches"));
                continue;
            }
            Type joined = ValueTypes.join(a, b);
            if (joined == null) {
                throw new InvalidOpException("expects yield #" + i + " of the two branches to have compatible types,"
                        + " found " + a.text() + " and " + b.text());
            }
            out.add(joined);
        }
        return out;
    }

    @Override
    public void verify(Operation op) {
        RegionBodies.requireSingleElement(RegionBodies.tensor(op.operand(0).type(), "the condition"), ScalarType.I1,
                "the condition");
        for (int r = 0; r < 2; r++) {
            Block body = RegionBodies.body(op, r);
            if (body.numArguments() != 0) {
                throw new InvalidOpException("expects region #" + r + " to have no block arguments, found "
                        + body.numArguments());
            }
            List<Type> yielded = body.last().operandTypes();
            if (yielded.size() != op.numResults()) {
                throw new InvalidOpException("expects region #" + r + " to yield " + op.numResults()
                        + " values (one per result), found " + yielded.size());
            }
            for (int i = 0; i < yielded.size(); i++) {
                checkYield(yielded.get(i), op.result(i).type(), "region #" + r + " yield #" + i, i);
            }
        }
    }

    /** A tensor yield has the element type and rank of its result; a sequence or optional fits it. */
    private static void checkYield(Type yielded, Type result, String what, int i) {
        if (!(yielded instanceof TensorType) && !(result instanceof TensorType)) {
            if (!ValueTypes.isCompatible(yielded, result)) {
                throw new InvalidOpException("expects " + what + " to fit result #" + i + " (" + result.text()
                        + "), found " + yielded.text());
            }
            return;
        }
        TensorType y = RegionBodies.tensor(yielded, what);
        TensorType res = RegionBodies.tensor(result, "result #" + i);
        if (y.elementType() != res.elementType() || y.rank() != res.rank()) {
            throw new InvalidOpException("expects " + what + " to have the element type and rank of result #" + i
                    + " (" + res.text() + "), found " + y.text());
        }
        RegionBodies.requireCompatible(y, res, what);
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands, RegionRunner regions) {
        boolean cond = RegionBodies.truth(operands.get(0), "the condition");
        return regions.run(op.region(cond ? 0 : 1), List.of());
    }

    /** What the interpreter runs: like the tensor form, but the branches may yield sequences or optionals. */
    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        boolean cond = RegionBodies.truth(operands.get(0).tensor("the condition"), "the condition");
        return regions.runValues(op.region(cond ? 0 : 1), List.of());
    }
}
