package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reductions {@code nn.reduce_mean}, {@code nn.reduce_max}, {@code nn.reduce_min},
 * {@code nn.reduce_prod}, {@code nn.reduce_l1}, {@code nn.reduce_l2}, {@code nn.reduce_log_sum},
 * {@code nn.reduce_log_sum_exp} and {@code nn.reduce_sum_square}: one definition per
 * {@link ReduceKind}, with the attribute conventions of {@link ReduceSumOp}.
 *
 * <p>Static form {@code (x) {axes?, keepdims?}}: {@code axes} absent reduces every dim, {@code []}
 * reduces none (each element is its own group, so {@code reduce_l1} of it is {@code |x|}).
 * {@code %1 = "nn.reduce_max"(%0) {axes = [1], keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>}
 *
 * <p>Dynamic form {@code (x, axes) {keepdims?, noop_with_empty_axes?}}: the axes are a 1-D i64
 * tensor read at run time; when it is empty, every dim is reduced, or none with
 * {@code noop_with_empty_axes = true}. Result dims are {@code ?} except those of size 1; with
 * {@code keepdims = false} the axes tensor must have a static length (it fixes the result rank).
 *
 * <p>Element types: every arithmetic type; max and min also take i1. Numerics: see
 * {@link ReduceKind}. Folds to the operand when nothing is reduced for max, min, mean and prod
 * (the identity on every value, NaN included).
 */
public final class ReduceOp extends AbstractOpDefinition {

    private final ReduceKind kind;

    private ReduceOp(ReduceKind kind) {
        super(kind.opName, "the " + kind.description + " over the given axes (default all)",
                OpSchema.of(1, AttrSpec.optional("axes", ArrayAttr.class), AttrSpec.optional("keepdims", BoolAttr.class),
                        AttrSpec.optional("noop_with_empty_axes", BoolAttr.class)).withOperands(1, 2),
                Set.of(Trait.PURE));
        this.kind = kind;
    }

    /** One definition per reduction kind. */
    public static List<OpDefinition> all() {
        return Arrays.stream(ReduceKind.values()).map(k -> (OpDefinition) new ReduceOp(k)).toList();
    }

    /** The names of the family, for converters: {@code nn.reduce_mean}, ... */
    public static List<String> names() {
        return Arrays.stream(ReduceKind.values()).map(k -> k.opName).toList();
    }

    private void checkElements(TensorType x) {
        if (!kind.acceptsBool()) {
            NnTypes.requireArithmetic(x);
        }
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        checkElements(x);
        boolean keepdims = NnTypes.bool(attributes, "keepdims", true);
        if (operandTypes.size() == 1) {
            boolean[] reduced = ReduceSumOp.reducedAxes(attributes, x.rank());
            return List.of(ReductionMath.reducedType(x, x.elementType(), reduced, keepdims));
        }
        return dynamicResultType(x, operandTypes, attributes, keepdims);
    }

    /** The result type of the dynamic form, whose axes are a run-time i64 operand. */
    static List<Type> dynamicResultType(TensorType x, List<Type> operandTypes, Map<String, Attribute> attributes,
            boolean keepdims) {
        TensorType axes = NnTypes.tensor(operandTypes, 1);
        if (axes.rank() != 1 || axes.elementType() != ScalarType.I64) {
            throw new InvalidOpException("expects axes as a 1-D tensor of i64, found " + axes.text());
        }
        if (attributes.containsKey("axes")) {
            throw new InvalidOpException("expects axes either as an operand or as an attribute, found both");
        }
        long[] shape = new long[x.rank()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = x.dim(d) == 1 ? 1 : TensorType.DYNAMIC;
        }
        if (keepdims) {
            return List.of(TensorType.of(x.elementType(), shape));
        }
        if (axes.isDynamic(0)) {
            throw new InvalidOpException("expects axes of static length when keepdims = false (it fixes the result"
                    + " rank), found " + axes.text());
        }
        boolean noop = NnTypes.bool(attributes, "noop_with_empty_axes", false);
        long rank = axes.dim(0) == 0 ? (noop ? x.rank() : 0) : x.rank() - axes.dim(0);
        if (rank < 0) {
            throw new InvalidOpException("expects at most " + x.rank() + " axes, found " + axes.text());
        }
        long[] out = new long[(int) rank];
        Arrays.fill(out, TensorType.DYNAMIC);
        return List.of(TensorType.of(x.elementType(), out));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        boolean identity = kind == ReduceKind.MAX || kind == ReduceKind.MIN || kind == ReduceKind.MEAN
                || kind == ReduceKind.PROD;
        return identity && op.numOperands() == 1 && op.operand(0).type() == op.result().type()
                && nothingReduced(op) ? List.of(FoldResult.existing(op.operand(0))) : null;
    }

    /** Only size-1 dims reduced, each group one element (mean of one integer is itself too). */
    private static boolean nothingReduced(Operation op) {
        TensorType x = (TensorType) op.operand(0).type();
        boolean[] reduced = ReduceSumOp.reducedAxes(op.attributes(), x.rank());
        for (int d = 0; d < reduced.length; d++) {
            if (reduced[d] && x.dim(d) != 1) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        checkElements(x.type());
        long[] shape = x.type().shapeArray();
        boolean keepdims = NnTypes.bool(op.attributes(), "keepdims", true);
        boolean[] reduced = operands.size() == 1 ? ReduceSumOp.reducedAxes(op.attributes(), shape.length)
                : runtimeAxes(operands.get(1), shape.length, NnTypes.bool(op.attributes(), "noop_with_empty_axes", false));
        ReductionMath.Groups groups = ReductionMath.Groups.of(shape, reduced);
        long[] outShape = ReductionMath.reducedShape(shape, reduced, keepdims);
        ScalarType et = x.elementType();
        if (et.isFloat()) {
            double[] out = new double[groups.count()];
            for (int g = 0; g < out.length; g++) {
                out[g] = kind.reduce(groups.doubles(x, g));
            }
            return List.of(NnTypes.floats(et, outShape, out));
        }
        long[] out = new long[groups.count()];
        for (int g = 0; g < out.length; g++) {
            out[g] = kind.reduce(groups.longs(x, g), et);
        }
        return List.of(NnTypes.integers(et, outShape, out));
    }

    static boolean[] runtimeAxes(DenseElementsAttr axes, int rank, boolean noopWhenEmpty) {
        if (axes.numElements() == 0 && noopWhenEmpty) {
            return new boolean[rank];
        }
        Map<String, Attribute> attrs = axes.numElements() == 0 ? Map.of()
                : Map.of("axes", ArrayAttr.ofLongs(axes.toLongs()));
        return ReduceSumOp.reducedAxes(attrs, rank);
    }
}
