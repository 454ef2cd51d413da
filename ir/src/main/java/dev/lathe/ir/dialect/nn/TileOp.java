package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.tile}: repeats {@code x} {@code repeats[d]} times along each dim {@code d}. Static
 * form {@code nn.tile(%x) {repeats = [...]}} (array of counts {@code >= 0}, one per dim,
 * required). Dynamic form {@code nn.tile(%x, %repeats)}: a 1-D integer operand read at run time;
 * every result dim is then {@code ?}. Any element type.
 *
 * <p>{@code %1 = "nn.tile"(%0) {repeats = [1, 2]} : (tensor<2x2xf32>) -> tensor<2x4xf32>}
 *
 * <p>Folds all-ones repeats to the operand.
 */
public final class TileOp extends AbstractOpDefinition {

    public static final String NAME = "nn.tile";

    public TileOp() {
        super(NAME, "repeats a tensor along each dim",
                OpSchema.of(1, AttrSpec.optional("repeats", ArrayAttr.class)).withOperands(1, 2), Set.of(Trait.PURE));
    }

    private static long[] tiled(long[] x, long[] repeats) {
        if (repeats.length != x.length) {
            throw new InvalidOpException("repeats " + NnTypes.text(repeats) + " has " + repeats.length
                    + " entries but the operand has rank " + x.length);
        }
        long[] out = new long[x.length];
        for (int d = 0; d < x.length; d++) {
            if (repeats[d] < 0) {
                throw new InvalidOpException("repeats " + NnTypes.text(repeats) + " has negative count " + repeats[d]);
            }
            out[d] = ShapeSupport.mulDims(x[d], repeats[d]);
        }
        return out;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        if (operandTypes.size() > 1) {
            long n = ShapeSupport.integerOperand(operandTypes, 1, 1, "repeats").dim(0);
            if (ShapeSupport.known(n) && n != x.rank()) {
                throw new InvalidOpException("expects one repeat count per dim (" + x.rank() + "), found "
                        + operandTypes.get(1).text());
            }
            return List.of(ShapeSupport.dynamic(x.elementType(), x.rank()));
        }
        long[] repeats = NnTypes.longs(attributes, "repeats");
        if (repeats == null) {
            throw new InvalidOpException("requires attribute 'repeats' (or a repeats operand)");
        }
        return List.of(NnTypes.type(x.elementType(), tiled(x.shapeArray(), repeats)));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        long[] repeats = NnTypes.longs(op.attributes(), "repeats");
        if (op.numOperands() != 1 || repeats == null || op.operand(0).type() != op.result().type()) {
            return null;
        }
        for (long r : repeats) {
            if (r != 1) {
                return null;
            }
        }
        return List.of(FoldResult.existing(op.operand(0)));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] repeats = operands.size() > 1 ? operands.get(1).toLongs() : NnTypes.longs(op.attributes(), "repeats");
        long[] xs = x.type().shapeArray();
        long[] out;
        try {
            out = tiled(xs, repeats);
        } catch (InvalidOpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return List.of(NnTypes.gather(x, out, ShapeSupport.sources(out, xs, (d, c) -> c % xs[d])));
    }
}
