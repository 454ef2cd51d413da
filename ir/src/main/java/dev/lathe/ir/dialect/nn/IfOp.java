package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesRegions;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
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
 * the branches differ in rank; Lathe needs one rank per result.
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
public final class IfOp extends AbstractOpDefinition implements EvaluatesRegions {

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
            out.add(RegionBodies.join(RegionBodies.tensor(thenTypes.get(i), "then yield #" + i),
                    RegionBodies.tensor(elseTypes.get(i), "else yield #" + i), "yield #" + i + " of the two branches"));
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
            List<TensorType> yielded = RegionBodies.yieldedTypes(body, r);
            if (yielded.size() != op.numResults()) {
                throw new InvalidOpException("expects region #" + r + " to yield " + op.numResults()
                        + " values (one per result), found " + yielded.size());
            }
            for (int i = 0; i < yielded.size(); i++) {
                TensorType result = RegionBodies.tensor(op.result(i).type(), "result #" + i);
                if (yielded.get(i).elementType() != result.elementType() || yielded.get(i).rank() != result.rank()) {
                    throw new InvalidOpException("expects region #" + r + " yield #" + i + " to have the element type"
                            + " and rank of result #" + i + " (" + result.text() + "), found " + yielded.get(i).text());
                }
                RegionBodies.requireCompatible(yielded.get(i), result, "region #" + r + " yield #" + i);
            }
        }
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands, RegionRunner regions) {
        boolean cond = RegionBodies.truth(operands.get(0), "the condition");
        return regions.run(op.region(cond ? 0 : 1), List.of());
    }
}
