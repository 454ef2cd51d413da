package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.transpose}: permutes dimensions; result dimension {@code i} is operand dimension
 * {@code perm[i]}. Attribute {@code perm} (array of integers, optional): a permutation of
 * {@code 0..rank-1}; absent, the dimensions are reversed. Any element type.
 *
 * <p>{@code %1 = "nn.transpose"(%0) {perm = [0, 2, 1]} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>}
 *
 * <p>Folds an identity permutation to its operand.
 */
public final class TransposeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.transpose";

    public TransposeOp() {
        super(NAME, "permutes the dimensions of a tensor (default: reverses them)",
                OpSchema.of(1, AttrSpec.optional("perm", ArrayAttr.class)),
                Set.of(Trait.PURE));
    }

    /** The permutation for an operand of {@code rank}: the attribute, checked, or the reversal. */
    public static int[] perm(Map<String, Attribute> attributes, int rank) {
        long[] raw = NnTypes.longs(attributes, "perm");
        int[] perm = new int[rank];
        if (raw == null) {
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
            return perm;
        }
        if (raw.length != rank) {
            throw new InvalidOpException("perm " + NnTypes.text(raw) + " has " + raw.length
                    + " entries but the operand has rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            if (raw[i] < 0 || raw[i] >= rank || seen[(int) raw[i]]) {
                throw new InvalidOpException("perm " + NnTypes.text(raw) + " is not a permutation of 0.." + (rank - 1));
            }
            seen[(int) raw[i]] = true;
            perm[i] = (int) raw[i];
        }
        return perm;
    }

    private static long[] permute(long[] values, int[] perm) {
        long[] out = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = values[perm[i]];
        }
        return out;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        return List.of(NnTypes.type(x.elementType(), permute(x.shapeArray(), perm(attributes, x.rank()))));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        int[] perm = perm(op.attributes(), ((TensorType) op.operand(0).type()).rank());
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
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
        long[] shape = x.type().shapeArray();
        int[] perm = perm(op.attributes(), shape.length);
        long[] outShape = permute(shape, perm);
        int[] source = IndexMath.offsets(outShape, permute(IndexMath.strides(shape), perm));
        return List.of(NnTypes.gather(x, outShape, source));
    }
}
