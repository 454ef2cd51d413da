package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesValues;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.ValueTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code nn.sequence_map}: ONNX SequenceMap. Operands {@code (%seq, %extra...)}: a sequence,
 * then sequences of the same length or tensors. One region whose block takes, per operand, a
 * sequence's element (the element type must have a known rank) or the tensor itself, and
 * yields M tensors; the op runs it once per position {@code i} (on element i of each sequence)
 * and returns M sequences of what it yielded, result {@code j} of type
 * {@code !nn.sequence<yield type j>}. The region may use values defined above the op.
 *
 * <pre>
 * %r = "nn.sequence_map"(%s, %t) ({
 * ^bb0(%e: tensor&lt;?xf32&gt;, %u: tensor&lt;3xf32&gt;):
 *   "nn.yield"(%e) : (tensor&lt;?xf32&gt;) -&gt; ()
 * }) : (!nn.sequence&lt;tensor&lt;?xf32&gt;&gt;, tensor&lt;3xf32&gt;) -&gt; !nn.sequence&lt;tensor&lt;?xf32&gt;&gt;
 * </pre>
 */
public final class SequenceMapOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.sequence_map";

    public SequenceMapOp() {
        super(NAME, "runs its region on each position of its sequences, collecting sequences",
                OpSchema.of(1).withOperands(1, OpSchema.VARIADIC).withResults(OpSchema.VARIADIC).withRegions(1),
                Set.of(Trait.PURE));
    }

    /** The block argument type for an operand: a sequence's (ranked) element, or the operand's own type. */
    public static Type argumentType(Type operand, int i) {
        if (i == 0 || operand instanceof SequenceType) {
            SequenceType s = SequenceSupport.sequence(operand, "operand #" + i);
            if (s.element() instanceof ScalarType) {
                throw new InvalidOpException("expects sequence operand #" + i + " to hold tensors of known rank, found "
                        + s.text());
            }
            return s.element();
        }
        return operand;
    }

    /** The result types for what the body yields. */
    public static List<Type> resultTypes(List<Type> yieldTypes) {
        List<Type> out = new ArrayList<>();
        for (Type y : yieldTypes) {
            out.add(SequenceType.of(y));
        }
        return out;
    }

    @Override
    public void verify(Operation op) {
        Block body = RegionBodies.body(op, 0);
        if (body.numArguments() != op.numOperands()) {
            throw new InvalidOpException("expects the body to take " + op.numOperands() + " block arguments (one per"
                    + " operand), found " + body.numArguments());
        }
        for (int i = 0; i < op.numOperands(); i++) {
            Type expected = argumentType(op.operand(i).type(), i);
            if (!ValueTypes.isCompatible(expected, body.argument(i).type())) {
                throw new InvalidOpException("expects block argument #" + i + " to fit " + expected.text() + ", found "
                        + body.argument(i).type().text());
            }
        }
        List<Type> yields = body.last().operandTypes();
        if (yields.size() != op.numResults()) {
            throw new InvalidOpException("expects the body to yield " + op.numResults() + " values (one per result),"
                    + " found " + yields.size());
        }
        for (int j = 0; j < yields.size(); j++) {
            if (!ValueTypes.isCompatible(SequenceType.of(yields.get(j)), op.result(j).type())) {
                throw new InvalidOpException("expects result #" + j + " to be a sequence of yield #" + j + " ("
                        + yields.get(j).text() + "), found " + op.result(j).type().text());
            }
        }
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        int n = operands.get(0).elements("operand #0").size();
        for (int i = 1; i < operands.size(); i++) {
            if (operands.get(i) instanceof RuntimeValue.SequenceValue s && s.elements().size() != n) {
                throw new IllegalArgumentException("sequence operand #" + i + " has " + s.elements().size()
                        + " elements, operand #0 has " + n);
            }
        }
        List<List<RuntimeValue>> outs = new ArrayList<>();
        for (int j = 0; j < op.numResults(); j++) {
            outs.add(new ArrayList<>());
        }
        for (int k = 0; k < n; k++) {
            List<RuntimeValue> args = new ArrayList<>();
            for (RuntimeValue v : operands) {
                args.add(v instanceof RuntimeValue.SequenceValue s ? s.elements().get(k) : v);
            }
            List<RuntimeValue> yielded = regions.runValues(op.region(0), args);
            for (int j = 0; j < yielded.size(); j++) {
                outs.get(j).add(yielded.get(j));
            }
        }
        List<RuntimeValue> results = new ArrayList<>();
        for (List<RuntimeValue> o : outs) {
            results.add(RuntimeValue.sequence(o));
        }
        return results;
    }
}
