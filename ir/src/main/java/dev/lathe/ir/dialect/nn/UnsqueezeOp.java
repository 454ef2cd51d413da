package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.TensorType;

/**
 * {@code nn.unsqueeze}: inserts size-1 dims. Static form {@code nn.unsqueeze(%x) {axes = [...]}}
 * (array of integers, required): positions in the <em>result</em>, of rank
 * {@code rank(x) + n}; negatives count from its end; no duplicates; any order. Dynamic form
 * {@code nn.unsqueeze(%x, %axes)}: a 1-D integer operand of static length n read at run time;
 * every result dim is then {@code ?}. Any element type.
 *
 * <p>{@code %1 = "nn.unsqueeze"(%0) {axes = [0, 4]} : (tensor<3x4x5xf32>) -> tensor<1x3x4x5x1xf32>}
 *
 * <p>Folds {@code axes = []} to its operand.
 */
public final class UnsqueezeOp extends AxesReshapeOp {

    public static final String NAME = "nn.unsqueeze";

    public UnsqueezeOp() {
        super(NAME, "inserts size-1 dims at the given result positions");
    }

    @Override
    long[] resultShape(long[] shape, long[] axes) {
        int rank = shape.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int axis = ShapeSupport.axis(a, rank, "axis");
            if (inserted[axis]) {
                throw new InvalidOpException("axes " + NnTypes.text(axes) + " names dimension " + axis + " twice");
            }
            inserted[axis] = true;
        }
        long[] out = new long[rank];
        for (int d = 0, k = 0; d < rank; d++) {
            out[d] = inserted[d] ? 1 : shape[k++];
        }
        return out;
    }

    @Override
    int dynamicRank(TensorType x, long n) {
        return x.rank() + (int) n;
    }
}
