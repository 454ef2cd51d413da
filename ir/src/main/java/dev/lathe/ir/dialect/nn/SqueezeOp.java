package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.TensorType;

/**
 * {@code nn.squeeze}: removes size-1 dims. Static form {@code nn.squeeze(%x) {axes = [...]}}
 * (array of integers, required; negatives count from the end; no duplicates; each named dim must
 * be 1, or {@code ?} and then 1 at run time). ONNX's "no axes: every size-1 dim" is resolved by
 * the importer. Dynamic form {@code nn.squeeze(%x, %axes)}: a 1-D integer operand of static
 * length n read at run time; the result has rank {@code rank(x) - n}, every dim {@code ?}. Any
 * element type.
 *
 * <p>{@code %1 = "nn.squeeze"(%0) {axes = [0, -2]} : (tensor<1x3x1x5xf32>) -> tensor<3x5xf32>}
 *
 * <p>Folds {@code axes = []} to its operand.
 */
public final class SqueezeOp extends AxesReshapeOp {

    public static final String NAME = "nn.squeeze";

    public SqueezeOp() {
        super(NAME, "removes the given size-1 dims");
    }

    /** Which dims of {@code shape} the axes remove, checked ({@code ?} dims pass). */
    static boolean[] removed(long[] shape, long[] axes) {
        boolean[] out = new boolean[shape.length];
        for (long a : axes) {
            int axis = ShapeSupport.axis(a, shape.length, "axis");
            if (out[axis]) {
                throw new InvalidOpException("axes " + NnTypes.text(axes) + " names dimension " + axis + " twice");
            }
            if (shape[axis] != 1 && ShapeSupport.known(shape[axis])) {
                throw new InvalidOpException("axes " + NnTypes.text(axes) + " removes dimension " + axis
                        + " of size " + shape[axis] + "; only size-1 dims can be removed");
            }
            out[axis] = true;
        }
        return out;
    }

    @Override
    long[] resultShape(long[] shape, long[] axes) {
        boolean[] gone = removed(shape, axes);
        return java.util.stream.IntStream.range(0, shape.length).filter(d -> !gone[d]).mapToLong(d -> shape[d]).toArray();
    }

    @Override
    int dynamicRank(TensorType x, long n) {
        if (n > x.rank()) {
            throw new InvalidOpException("expects an axes operand of static length at most " + x.rank() + ", found " + n);
        }
        return x.rank() - (int) n;
    }
}
