package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
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
 * {@code nn.shape}: the dims of {@code x} as a 1-D i64 tensor, optionally only dims
 * {@code start..end-1}. Attributes {@code start} (integer, default 0) and {@code end} (integer,
 * default rank); negatives count from the end and both are clamped to {@code 0..rank}, as in
 * ONNX Shape-15 (an empty range gives an empty tensor). Any element type.
 *
 * <p>{@code %1 = "nn.shape"(%0) {start = 1} : (tensor<2x?x4xf32>) -> tensor<2xi64>}
 *
 * <p>Folds to a constant when the selected dims are static.
 */
public final class ShapeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.shape";

    public ShapeOp() {
        super(NAME, "the dims of a tensor (optionally a start..end range of them) as a 1-D i64 tensor",
                OpSchema.of(1, AttrSpec.optional("start", IntegerAttr.class), AttrSpec.optional("end", IntegerAttr.class)),
                Set.of(Trait.PURE));
    }

    /** The selected dims {@code [start, end)} of a rank-{@code rank} tensor, clamped. */
    private static int[] range(Map<String, Attribute> attributes, int rank) {
        return new int[] {clamp(ShapeSupport.integer(attributes, "start", 0), rank),
                clamp(ShapeSupport.integer(attributes, "end", rank), rank)};
    }

    private static int clamp(long i, int rank) {
        long v = i < 0 ? i + rank : i;
        return (int) Math.max(0, Math.min(rank, v));
    }

    private static long[] selected(long[] shape, Map<String, Attribute> attributes) {
        int[] r = range(attributes, shape.length);
        return r[1] <= r[0] ? new long[0] : Arrays.copyOfRange(shape, r[0], r[1]);
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        return List.of(TensorType.of(ScalarType.I64, selected(x.shapeArray(), attributes).length));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        long[] dims = selected(((TensorType) op.operand(0).type()).shapeArray(), op.attributes());
        for (long d : dims) {
            if (d == TensorType.DYNAMIC) {
                return null;
            }
        }
        return List.of(FoldResult.constant(DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, dims.length), dims)));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        long[] dims = selected(operands.get(0).type().shapeArray(), op.attributes());
        return List.of(DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, dims.length), dims));
    }
}
