package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.matmul}: matrix product with ONNX MatMul semantics. {@code [..., n, k]
 * x [..., k, m] -> [..., n, m]}; the leading (batch) dimensions broadcast with numpy rules; a 1-D
 * left operand is a row {@code [1, k]} and a 1-D right operand a column {@code [k, 1]}, and the
 * added dimension is removed from the result.
 *
 * <p>Attributes {@code transpose_a} and {@code transpose_b} (bool, default false): the operand
 * is stored with its last two dims swapped ({@code a [..., k, n]}, {@code b [..., m, k]}) and is
 * read transposed, as if an {@code nn.transpose} swapping the last two dims stood before it
 * (what {@code fold-transpose-into-matmul} folds). Only for operands of rank 2 or more.
 *
 * <p>{@code %2 = "nn.matmul"(%0, %1) : (tensor<8x1x4x3xf32>, tensor<5x3x6xf32>) -> tensor<8x5x4x6xf32>}
 *
 * <p>Reference numerics: float dot products accumulate in double and round once; integer ones
 * wrap around in the element width.
 */
public final class MatmulOp extends AbstractOpDefinition {

    public static final String NAME = "nn.matmul";

    public MatmulOp() {
        super(NAME, "matrix product with batch broadcasting and 1-D promotion (ONNX MatMul)",
                OpSchema.of(2, AttrSpec.optional("transpose_a", BoolAttr.class),
                        AttrSpec.optional("transpose_b", BoolAttr.class)),
                Set.of(Trait.PURE));
    }

    /** The operands' roles: batch shapes, matrix sizes and the result shape. */
    private record Plan(long[] aBatch, long[] bBatch, long[] batch, long n, long k, long m, long[] result) {}

    private static Plan plan(TensorType a, TensorType b, boolean ta, boolean tb) {
        NnTypes.requireSameElementType(a, b);
        NnTypes.requireArithmetic(a);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new InvalidOpException("expects operands of rank 1 or more, found " + a.text() + " and " + b.text());
        }
        if (ta && a.rank() < 2 || tb && b.rank() < 2) {
            throw new InvalidOpException("expects transpose_a / transpose_b only on operands of rank 2 or more, found "
                    + a.text() + " and " + b.text());
        }
        long[] as = a.rank() == 1 ? new long[] {1, a.dim(0)} : swapLastTwo(a.shapeArray(), ta);
        long[] bs = b.rank() == 1 ? new long[] {b.dim(0), 1} : swapLastTwo(b.shapeArray(), tb);
        long k = as[as.length - 1];
        long kb = bs[bs.length - 2];
        if (k != kb && k != TensorType.DYNAMIC && kb != TensorType.DYNAMIC) {
            throw new InvalidOpException("expects the inner dimensions to agree, found " + a.text() + " with " + k
                    + " columns and " + b.text() + " with " + kb + " rows");
        }
        long[] aBatch = Arrays.copyOf(as, as.length - 2);
        long[] bBatch = Arrays.copyOf(bs, bs.length - 2);
        long[] batch = Broadcast.shape(aBatch, bBatch);
        if (batch == null) {
            throw new InvalidOpException("expects batch dimensions that broadcast, found " + a.text() + " and "
                    + b.text());
        }
        long n = as[as.length - 2];
        long m = bs[bs.length - 1];
        long[] result = Arrays.copyOf(batch, batch.length + 2);
        int r = batch.length;
        if (a.rank() > 1) {
            result[r++] = n;
        }
        if (b.rank() > 1) {
            result[r++] = m;
        }
        return new Plan(aBatch, bBatch, batch, n, k == TensorType.DYNAMIC ? kb : k, m, Arrays.copyOf(result, r));
    }

    /** The logical shape of a stored operand: its last two dims swapped when {@code swap}. */
    private static long[] swapLastTwo(long[] s, boolean swap) {
        if (swap) {
            long t = s[s.length - 1];
            s[s.length - 1] = s[s.length - 2];
            s[s.length - 2] = t;
        }
        return s;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType a = NnTypes.tensor(operandTypes, 0);
        TensorType b = NnTypes.tensor(operandTypes, 1);
        return List.of(NnTypes.type(a.elementType(), plan(a, b, NnTypes.bool(attributes, "transpose_a", false),
                NnTypes.bool(attributes, "transpose_b", false)).result()));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr a = operands.get(0);
        DenseElementsAttr b = operands.get(1);
        boolean ta = NnTypes.bool(op.attributes(), "transpose_a", false);
        boolean tb = NnTypes.bool(op.attributes(), "transpose_b", false);
        Plan p = plan(a.type(), b.type(), ta, tb);
        int[] aBase = Broadcast.map(p.aBatch(), p.batch());
        int[] bBase = Broadcast.map(p.bBatch(), p.batch());
        int n = Math.toIntExact(p.n());
        int k = Math.toIntExact(p.k());
        int m = Math.toIntExact(p.m());
        int size = IndexMath.count(p.result());
        boolean isFloat = a.elementType().isFloat();
        double[] fa = isFloat ? a.toDoubles() : null;
        double[] fb = isFloat ? b.toDoubles() : null;
        long[] la = isFloat ? null : a.toLongs();
        long[] lb = isFloat ? null : b.toLongs();
        double[] fout = new double[isFloat ? size : 0];
        long[] lout = new long[isFloat ? 0 : size];
        // Element strides of A(i, t) and B(t, j) in their stored layout: a transposed operand is
        // read [.., t, i] / [.., j, t], the sums run in the same t order either way.
        int aRow = ta ? 1 : k;
        int aCol = ta ? n : 1;
        int bRow = tb ? 1 : m;
        int bCol = tb ? k : 1;
        int o = 0;
        for (int batch = 0; batch < aBase.length; batch++) {
            int offA = aBase[batch] * n * k;
            int offB = bBase[batch] * k * m;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++, o++) {
                    if (isFloat) {
                        double acc = NnTypes.sumStart(k);
                        for (int t = 0; t < k; t++) {
                            acc += fa[offA + i * aRow + t * aCol] * fb[offB + t * bRow + j * bCol];
                        }
                        fout[o] = acc;
                    } else {
                        long acc = 0;
                        for (int t = 0; t < k; t++) {
                            acc += la[offA + i * aRow + t * aCol] * lb[offB + t * bRow + j * bCol];
                        }
                        lout[o] = acc;
                    }
                }
            }
        }
        return List.of(isFloat ? NnTypes.floats(a.elementType(), p.result(), fout)
                : NnTypes.integers(a.elementType(), p.result(), lout));
    }
}
