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
 * {@code nn.expand}: ONNX Expand, broadcasting {@code x} and {@code shape} with numpy rules in
 * both directions (a {@code shape} entry of 1 keeps a larger dim of {@code x}). Static form
 * {@code nn.expand(%x) {shape = [...]}} (array of sizes {@code >= 0}, required). Dynamic form
 * {@code nn.expand(%x, %shape)}: a 1-D integer operand of static length n read at run time; the
 * result has rank {@code max(rank(x), n)}, every dim {@code ?}. Any element type.
 *
 * <p>{@code %1 = "nn.expand"(%0) {shape = [2, 1, 6]} : (tensor<3x1xf32>) -> tensor<2x3x6xf32>}
 *
 * <p>Folds an expand to the operand's own type to its operand.
 */
public final class ExpandOp extends AbstractOpDefinition {

    public static final String NAME = "nn.expand";

    public ExpandOp() {
        super(NAME, "broadcasts a tensor against a shape (numpy rules, both directions)",
                OpSchema.of(1, AttrSpec.optional("shape", ArrayAttr.class)).withOperands(1, 2), Set.of(Trait.PURE));
    }

    private static long[] expanded(long[] x, long[] shape, String xText) {
        for (long s : shape) {
            if (s < 0) {
                throw new InvalidOpException("shape " + NnTypes.text(shape) + " has size " + s + "; expected sizes >= 0");
            }
        }
        long[] out = Broadcast.shape(x, shape);
        if (out == null) {
            throw new InvalidOpException(xText + " does not broadcast to shape " + NnTypes.text(shape));
        }
        return out;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        if (operandTypes.size() > 1) {
            long n = ShapeSupport.integerOperand(operandTypes, 1, 1, "shape").dim(0);
            if (!ShapeSupport.known(n)) {
                throw new InvalidOpException("expects a shape operand of static length, found "
                        + operandTypes.get(1).text());
            }
            return List.of(ShapeSupport.dynamic(x.elementType(), Math.max(x.rank(), (int) n)));
        }
        long[] shape = NnTypes.longs(attributes, "shape");
        if (shape == null) {
            throw new InvalidOpException("requires attribute 'shape' (or a shape operand)");
        }
        return List.of(NnTypes.type(x.elementType(), expanded(x.shapeArray(), shape, x.text())));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        return op.numOperands() == 1 && op.operand(0).type() == op.result().type()
                && ((TensorType) op.result().type()).hasStaticShape() ? List.of(FoldResult.existing(op.operand(0))) : null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] shape = operands.size() > 1 ? operands.get(1).toLongs() : NnTypes.longs(op.attributes(), "shape");
        long[] xs = x.type().shapeArray();
        long[] out;
        try {
            out = expanded(xs, shape, x.type().text());
        } catch (InvalidOpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return List.of(NnTypes.gather(x, out, Broadcast.map(xs, out)));
    }
}
