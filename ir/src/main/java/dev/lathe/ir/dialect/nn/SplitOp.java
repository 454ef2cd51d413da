package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.split}: cuts {@code x} into consecutive pieces along {@code axis} (integer, default 0),
 * one result per piece. The sizes come from exactly one of:
 * <ul>
 * <li>attribute {@code split} (array of sizes {@code >= 0}, summing to the dim when it is static);
 * <li>attribute {@code num_outputs} (n {@code >= 1}): pieces of {@code ceil(dim / n)}, the last
 * one smaller when the dim does not divide (ONNX Split-18; for dims that divide this is the equal
 * split of older opsets);
 * <li>dynamic form {@code nn.split(%x, %split)}: a 1-D integer operand of static length n, read
 * at run time; the pieces have size {@code ?} along {@code axis}.
 * </ul>
 * Any element type.
 *
 * <p>{@code %1:2 = "nn.split"(%0) {axis = 1, split = [2, 4]} : (tensor<2x6xf32>) -> (tensor<2x2xf32>, tensor<2x4xf32>)}
 */
public final class SplitOp extends AbstractOpDefinition {

    public static final String NAME = "nn.split";

    public SplitOp() {
        super(NAME, "cuts a tensor into consecutive pieces along one axis",
                new OpSchema(1, 2, OpSchema.VARIADIC, 0, List.of(AttrSpec.optional("axis", IntegerAttr.class),
                        AttrSpec.optional("split", ArrayAttr.class), AttrSpec.optional("num_outputs", IntegerAttr.class)),
                        false),
                Set.of(Trait.PURE));
    }

    /** The piece sizes for a dim of {@code dim} ({@code ?} = -1), from the attributes; -1 where unknown. */
    private static long[] sizes(Map<String, Attribute> attributes, long dim) {
        long[] split = NnTypes.longs(attributes, "split");
        boolean hasCount = attributes.containsKey("num_outputs");
        if ((split == null) == !hasCount) {
            throw new InvalidOpException("expects exactly one of 'split' and 'num_outputs' (or a split operand), found "
                    + (split == null ? "neither" : "both"));
        }
        if (split != null) {
            long sum = 0;
            for (long s : split) {
                if (s < 0) {
                    throw new InvalidOpException("split " + NnTypes.text(split) + " has negative size " + s);
                }
                sum += s;
            }
            if (ShapeSupport.known(dim) && sum != dim) {
                throw new InvalidOpException("split " + NnTypes.text(split) + " sums to " + sum + " but the dim has size "
                        + dim);
            }
            return split;
        }
        long n = ShapeSupport.integer(attributes, "num_outputs", 1);
        if (n < 1) {
            throw new InvalidOpException("num_outputs must be at least 1, found " + n);
        }
        long[] out = new long[(int) n];
        long piece = ShapeSupport.known(dim) ? (dim + n - 1) / n : TensorType.DYNAMIC;
        for (int i = 0; i < n; i++) {
            out[i] = ShapeSupport.known(dim) ? Math.max(0, Math.min(piece, dim - i * piece)) : TensorType.DYNAMIC;
        }
        return out;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        int axis = ShapeSupport.axis(ShapeSupport.integer(attributes, "axis", 0), x.rank(), "axis");
        long[] sizes;
        if (operandTypes.size() > 1) {
            TensorType split = ShapeSupport.integerOperand(operandTypes, 1, 1, "split");
            if (!ShapeSupport.known(split.dim(0)) || attributes.containsKey("split")
                    || attributes.containsKey("num_outputs")) {
                throw new InvalidOpException("expects a split operand of static length and no 'split' or 'num_outputs'"
                        + " attribute beside it, found " + split.text() + " and attributes " + attributes.keySet());
            }
            sizes = new long[(int) split.dim(0)];
            java.util.Arrays.fill(sizes, TensorType.DYNAMIC);
        } else {
            sizes = sizes(attributes, x.dim(axis));
        }
        List<Type> out = new ArrayList<>();
        for (long s : sizes) {
            long[] shape = x.shapeArray();
            shape[axis] = s;
            out.add(NnTypes.type(x.elementType(), shape));
        }
        return out;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] shape = x.type().shapeArray();
        int axis = ShapeSupport.axis(ShapeSupport.integer(op.attributes(), "axis", 0), shape.length, "axis");
        long[] sizes = operands.size() > 1 ? operands.get(1).toLongs() : sizes(op.attributes(), shape[axis]);
        long sum = 0;
        for (long s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split " + NnTypes.text(sizes) + " has negative size " + s);
            }
            sum += s;
        }
        if (sum != shape[axis]) {
            throw new IllegalArgumentException("split " + NnTypes.text(sizes) + " sums to " + sum
                    + " but dim " + axis + " of " + x.type().text() + " has size " + shape[axis]);
        }
        long[] strides = IndexMath.strides(shape);
        List<DenseElementsAttr> out = new ArrayList<>();
        long start = 0;
        for (long s : sizes) {
            long[] piece = shape.clone();
            piece[axis] = s;
            int[] source = IndexMath.offsets(piece, strides);
            int base = (int) (start * strides[axis]);
            for (int i = 0; i < source.length; i++) {
                source[i] += base;
            }
            out.add(NnTypes.gather(x, piece, source));
            start += s;
        }
        return out;
    }
}
