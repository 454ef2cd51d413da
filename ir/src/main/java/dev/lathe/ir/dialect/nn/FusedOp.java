package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.fused}: a chain (or DAG) of elementwise ops run as one kernel, made by
 * {@code fuse-elementwise}. Operands are the tensors the chain reads; one region of one block
 * takes one argument per operand (of the operand's type) and holds ordinary elementwise
 * {@code nn} ops (with numpy broadcasting between their operands, as in the graph they came
 * from) and inline {@code nn.constant}s, ending in {@code nn.yield} with one value per result.
 * The region is isolated from above: it reads only its arguments and its own constants.
 *
 * <pre>
 * %r = "nn.fused"(%x, %b) ({
 * ^bb0(%a: tensor&lt;5x37xf32&gt;, %c: tensor&lt;37xf32&gt;):
 *   %0 = "nn.add"(%a, %c) : (tensor&lt;5x37xf32&gt;, tensor&lt;37xf32&gt;) -&gt; tensor&lt;5x37xf32&gt;
 *   %1 = "nn.relu"(%0) : (tensor&lt;5x37xf32&gt;) -&gt; tensor&lt;5x37xf32&gt;
 *   "nn.yield"(%1) : (tensor&lt;5x37xf32&gt;) -&gt; ()
 * }) : (tensor&lt;5x37xf32&gt;, tensor&lt;37xf32&gt;) -&gt; tensor&lt;5x37xf32&gt;
 * </pre>
 *
 * <p>Reference semantics: the body ops' own {@code evaluate}, in order, on the operand values,
 * so the fused op computes bit for bit what the unfused graph computed (each body op rounds as
 * it did there). Body ops must be registered, {@code ELEMENTWISE}, without regions and with
 * reference semantics; constants must be inline {@code dense<...>} values. The first non-constant
 * body op may instead be an {@code nn.matmul} or an {@code nn.conv} of block arguments (made by
 * {@code fuse-matmul-epilogue}): the elementwise ops after it are then its epilogue, applied to
 * the product's (or convolution's) elements before they are stored.
 */
public final class FusedOp extends AbstractOpDefinition {

    public static final String NAME = "nn.fused";

    public FusedOp() {
        super(NAME, "elementwise ops run as one kernel (a body region ending in nn.yield)",
                OpSchema.of(0).withOperands(0, OpSchema.VARIADIC).withResults(OpSchema.VARIADIC).withRegions(1),
                Set.of(Trait.PURE, Trait.ISOLATED_FROM_ABOVE));
    }

    @Override
    public void verify(Operation op) {
        Block body = RegionBodies.body(op, 0);
        if (op.numResults() == 0) {
            throw new InvalidOpException("expects at least one result");
        }
        if (body.numArguments() != op.numOperands()) {
            throw new InvalidOpException("expects one block argument per operand (" + op.numOperands() + "), found "
                    + body.numArguments());
        }
        for (int i = 0; i < op.numOperands(); i++) {
            Type arg = body.argument(i).type();
            if (!arg.equals(op.operand(i).type())) {
                throw new InvalidOpException("expects block argument #" + i + " to have operand #" + i + "'s type "
                        + op.operand(i).type().text() + ", found " + arg.text());
            }
            RegionBodies.tensor(arg, "block argument #" + i);
        }
        boolean first = true;
        for (Operation inner : body.operations()) {
            if (inner == body.last()) {
                break;
            }
            if (inner.isA(MatmulOp.NAME) || inner.isA(ConvOp.NAME)) {
                checkMatmul(inner, first, body);
            } else {
                checkBodyOp(inner);
            }
            first &= inner.isA(ConstantOp.NAME);
        }
        List<Type> yielded = body.last().operandTypes();
        if (yielded.size() != op.numResults()) {
            throw new InvalidOpException("expects the body to yield " + op.numResults() + " values (one per result),"
                    + " found " + yielded.size());
        }
        for (int i = 0; i < yielded.size(); i++) {
            TensorType y = RegionBodies.tensor(yielded.get(i), "yield #" + i);
            TensorType r = RegionBodies.tensor(op.result(i).type(), "result #" + i);
            if (y.elementType() != r.elementType() || y.rank() != r.rank()) {
                throw new InvalidOpException("expects yield #" + i + " to have the element type and rank of result #" + i
                        + " (" + r.text() + "), found " + y.text());
            }
            RegionBodies.requireCompatible(y, r, "yield #" + i);
        }
    }

    /**
     * A matrix-product (or convolution) prologue: the first non-constant body op may be one
     * {@code nn.matmul} or {@code nn.conv} of block arguments; the elementwise ops after it are its epilogue.
     */
    private static void checkMatmul(Operation matmul, boolean first, Block body) {
        if (!first) {
            throw new InvalidOpException("expects an " + matmul.name() + " in the body only as its first non-constant op");
        }
        for (Value v : matmul.operands()) {
            if (!(v instanceof dev.lathe.ir.BlockArgument a) || a.owner() != body) {
                throw new InvalidOpException("expects the body's " + matmul.name() + " to read block arguments");
            }
        }
    }

    /** Body ops: inline constants, or registered elementwise ops without regions that can be evaluated. */
    private static void checkBodyOp(Operation inner) {
        OpDefinition def = inner.definition();
        if (inner.isA(ConstantOp.NAME)) {
            if (!(inner.attr("value") instanceof DenseElementsAttr)) {
                throw new InvalidOpException("expects constants in the body to be inline dense<...> values, found "
                        + inner.attr("value").text());
            }
            return;
        }
        if (def == null || !inner.hasTrait(Trait.ELEMENTWISE) || !inner.regions().isEmpty()
                || !def.hasReferenceSemantics()) {
            throw new InvalidOpException("expects only elementwise ops and inline constants in the body, found '"
                    + inner.name() + "'");
        }
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    /** Runs the body ops' reference semantics in order; the results are what the yield reads. */
    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        Block body = op.region(0).entryBlock();
        Map<Value, DenseElementsAttr> values = new HashMap<>();
        for (int i = 0; i < operands.size(); i++) {
            values.put(body.argument(i), operands.get(i));
        }
        for (Operation inner : body.operations()) {
            List<DenseElementsAttr> args = new ArrayList<>(inner.numOperands());
            for (Value v : inner.operands()) {
                args.add(values.get(v));
            }
            if (inner == body.last()) {
                return args;
            }
            List<DenseElementsAttr> results = inner.definition().evaluate(inner, args);
            for (int r = 0; r < results.size(); r++) {
                values.put(inner.result(r), results.get(r));
            }
        }
        throw new IllegalStateException("'" + NAME + "' body has no terminator");
    }
}
