package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.det}: determinants of square matrices (ONNX Det). Operand {@code x [..., n, n]}
 * (floats); result {@code [...]}, one determinant per matrix.
 *
 * <p>{@code %d = "nn.det"(%x) : (tensor<3x2x2xf32>) -> tensor<3xf32>}
 *
 * <p>Computed in double by LU decomposition with partial pivoting (as LAPACK and numpy do) and
 * rounded once; the determinant of a 0x0 matrix is 1.
 */
public final class DetOp extends AbstractOpDefinition {

    public static final String NAME = "nn.det";

    public DetOp() {
        super(NAME, "determinants of the trailing square matrices", OpSchema.of(1), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ConvAttrs.requireFloat(x, "an input");
        ConvAttrs.requireMinRank(x, 2, "square matrices [..., n, n]");
        if (ConvAttrs.differ(x.dim(x.rank() - 1), x.dim(x.rank() - 2))) {
            throw new InvalidOpException("expects square matrices [..., n, n], found " + x.text());
        }
        return List.of(NnTypes.type(x.elementType(), Arrays.copyOf(x.shapeArray(), x.rank() - 2)));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        TensorType result = (TensorType) inferResultTypes(List.of(x.type()), Map.of()).get(0);
        int n = (int) x.type().dim(x.type().rank() - 1);
        double[] all = x.toDoubles();
        double[] out = new double[IndexMath.count(result.shapeArray())];
        for (int b = 0; b < out.length; b++) {
            out[b] = determinant(Arrays.copyOfRange(all, b * n * n, (b + 1) * n * n), n);
        }
        return List.of(NnTypes.floats(x.elementType(), result.shapeArray(), out));
    }

    /** LU with partial pivoting, in place on the row-major matrix {@code a}. */
    static double determinant(double[] a, int n) {
        double det = 1;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) {
                    pivot = r;
                }
            }
            if (a[pivot * n + col] == 0) {
                return 0;
            }
            if (pivot != col) {
                for (int c = 0; c < n; c++) {
                    double t = a[col * n + c];
                    a[col * n + c] = a[pivot * n + c];
                    a[pivot * n + c] = t;
                }
                det = -det;
            }
            det *= a[col * n + col];
            for (int r = col + 1; r < n; r++) {
                double f = a[r * n + col] / a[col * n + col];
                for (int c = col; c < n; c++) {
                    a[r * n + c] -= f * a[col * n + c];
                }
            }
        }
        return det;
    }
}
