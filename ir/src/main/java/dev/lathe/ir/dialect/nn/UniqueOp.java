package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.unique}: ONNX Unique. Without {@code axis} the elements of {@code x} (flattened) are
 * the items; with {@code axis} the slices of {@code x} along it. Four results: {@code y} the
 * distinct items ({@code tensor<?xT>}, or {@code x}'s shape with dim {@code axis} {@code ?}),
 * {@code indices} where each first occurs ({@code tensor<?xi64>}), {@code inverse_indices} the
 * position in {@code y} of every item of {@code x} ({@code tensor<n x i64>}, n items) and
 * {@code counts} ({@code tensor<?xi64>}).
 *
 * <p>Attributes {@code sorted} (bool, default true: ascending, slices compared lexicographically
 * in row-major order; false: in order of first occurrence) and {@code axis} (int, optional,
 * negatives from the end). Any element type; floats compare as numbers with {@code -0.0 == 0.0}
 * (the first one seen is kept) and all NaNs one item, sorted last (numpy's {@code unique} with
 * {@code equal_nan}; ONNX leaves both open); unsigned types compare unsigned.
 * {@code %y, %i, %inv, %c = "nn.unique"(%x) : (tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>,
 * tensor<6xi64>, tensor<?xi64>)}
 */
public final class UniqueOp extends AbstractOpDefinition {

    public static final String NAME = "nn.unique";

    public UniqueOp() {
        super(NAME, "the distinct elements or slices, with first indices, inverse indices and counts",
                new OpSchema(1, 1, 4, 0, List.of(AttrSpec.optional("sorted", BoolAttr.class),
                        AttrSpec.optional("axis", IntegerAttr.class)), false),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType dyn = TensorType.of(ScalarType.I64, TensorType.DYNAMIC);
        if (!attributes.containsKey("axis")) {
            long n = x.hasStaticShape() ? x.numElements() : TensorType.DYNAMIC;
            return List.of(TensorType.of(x.elementType(), TensorType.DYNAMIC), dyn, TensorType.of(ScalarType.I64, n),
                    dyn);
        }
        int axis = ReductionMath.axis(ReductionMath.integer(attributes, "axis", 0), x.rank(), "axis");
        long[] shape = x.shapeArray();
        long items = shape[axis];
        shape[axis] = TensorType.DYNAMIC;
        return List.of(TensorType.of(x.elementType(), shape), dyn, TensorType.of(ScalarType.I64, items), dyn);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] shape = x.type().shapeArray();
        boolean hasAxis = op.attributes().containsKey("axis");
        int axis = hasAxis ? ReductionMath.axis(ReductionMath.integer(op.attributes(), "axis", 0), shape.length, "axis")
                : 0;
        long[] itemShape = hasAxis ? shape : new long[] {IndexMath.count(shape)};
        // members[j][k]: flat element index of the k-th element (row-major) of item j.
        int[][] members = itemsAlong(itemShape, axis);
        int count = members.length;
        Comparator<Integer> order = itemOrder(x, members);
        List<Integer> firsts = new ArrayList<>(); // first occurrence of each distinct item, in order of appearance
        long[] inverse = new long[count];
        List<Long> counts = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            int found = -1;
            for (int u = 0; u < firsts.size() && found < 0; u++) {
                found = order.compare(firsts.get(u), j) == 0 ? u : -1;
            }
            if (found < 0) {
                found = firsts.size();
                firsts.add(j);
                counts.add(0L);
            }
            inverse[j] = found;
            counts.set(found, counts.get(found) + 1);
        }
        int u = firsts.size();
        Integer[] rank = new Integer[u]; // rank[p] = which distinct item (by appearance) is output p
        for (int p = 0; p < u; p++) {
            rank[p] = p;
        }
        if (NnTypes.bool(op.attributes(), "sorted", true)) {
            Arrays.sort(rank, (p, q) -> order.compare(firsts.get(p), firsts.get(q)));
        }
        int[] position = new int[u];
        long[] indices = new long[u];
        long[] outCounts = new long[u];
        for (int p = 0; p < u; p++) {
            position[rank[p]] = p;
            indices[p] = firsts.get(rank[p]);
            outCounts[p] = counts.get(rank[p]);
        }
        for (int j = 0; j < count; j++) {
            inverse[j] = position[(int) inverse[j]];
        }
        long[] yShape = itemShape.clone();
        yShape[hasAxis ? axis : 0] = u;
        int[] picks = new int[IndexMath.count(yShape)];
        long[] yStrides = IndexMath.strides(yShape);
        long[] strides = IndexMath.strides(itemShape);
        for (int e = 0; e < picks.length; e++) {
            long src = 0;
            for (int d = 0; d < yShape.length; d++) {
                long i = e / yStrides[d] % yShape[d];
                src += (d == (hasAxis ? axis : 0) ? indices[(int) i] : i) * strides[d];
            }
            picks[e] = (int) src;
        }
        return List.of(NnTypes.gather(x, yShape, picks), NnTypes.integers(ScalarType.I64, new long[] {u}, indices),
                NnTypes.integers(ScalarType.I64, new long[] {count}, inverse),
                NnTypes.integers(ScalarType.I64, new long[] {u}, outCounts));
    }

    /** The flat indices of each item (slice {@code j} along {@code axis}), row-major within it. */
    private static int[][] itemsAlong(long[] shape, int axis) {
        int items = (int) shape[axis];
        int size = items == 0 ? 0 : IndexMath.count(shape) / items;
        int[][] members = new int[items][size];
        int[] fill = new int[items];
        long[] strides = IndexMath.strides(shape);
        for (int e = 0; e < IndexMath.count(shape); e++) {
            int j = (int) (e / strides[axis] % shape[axis]);
            members[j][fill[j]++] = e;
        }
        return members;
    }

    /** Items compared lexicographically by their elements. */
    private static Comparator<Integer> itemOrder(DenseElementsAttr x, int[][] members) {
        ScalarType t = x.elementType();
        Comparator<Integer> elements;
        if (t.isFloat()) {
            elements = (a, b) -> {
                double u = x.getDouble(a);
                double v = x.getDouble(b);
                return Double.isNaN(u) || Double.isNaN(v) ? Boolean.compare(Double.isNaN(u), Double.isNaN(v))
                        : Double.compare(u + 0.0, v + 0.0);
            };
        } else if (t.isUnsigned()) {
            elements = (a, b) -> Long.compareUnsigned(x.getLong(a), x.getLong(b));
        } else {
            elements = (a, b) -> Long.compare(x.getLong(a), x.getLong(b));
        }
        return (p, q) -> {
            for (int k = 0; k < members[p].length; k++) {
                int c = elements.compare(members[p][k], members[q][k]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }
}
