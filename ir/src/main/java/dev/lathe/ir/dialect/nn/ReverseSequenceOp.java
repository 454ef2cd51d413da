package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.reverse_sequence}: ONNX ReverseSequence. For each batch entry {@code b} (along
 * {@code batch_axis}, integer, default 1), the first {@code sequence_lens[b]} elements along
 * {@code time_axis} (integer, default 0) are reversed and the rest kept. {@code x} has rank
 * {@code >= 2} and any element type; {@code sequence_lens} is a 1-D integer tensor with one entry
 * per batch entry, each in {@code 0..time dim} (else an error at run time). The result type is
 * {@code x}'s.
 *
 * <p>{@code %2 = "nn.reverse_sequence"(%0, %1) {batch_axis = 0, time_axis = 1} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>}
 */
public final class ReverseSequenceOp extends AbstractOpDefinition {

    public static final String NAME = "nn.reverse_sequence";

    public ReverseSequenceOp() {
        super(NAME, "reverses the first sequence_lens[b] time steps of each batch entry",
                OpSchema.of(2, AttrSpec.optional("batch_axis", IntegerAttr.class),
                        AttrSpec.optional("time_axis", IntegerAttr.class)),
                Set.of(Trait.PURE));
    }

    private static int[] axes(TensorType x, Map<String, Attribute> attributes) {
        if (x.rank() < 2) {
            throw new InvalidOpException("expects rank >= 2, found " + x.text());
        }
        int batch = ShapeSupport.axis(ShapeSupport.integer(attributes, "batch_axis", 1), x.rank(), "batch_axis");
        int time = ShapeSupport.axis(ShapeSupport.integer(attributes, "time_axis", 0), x.rank(), "time_axis");
        if (batch == time) {
            throw new InvalidOpException("expects different batch_axis and time_axis, found both " + batch);
        }
        return new int[] {batch, time};
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType lens = ShapeSupport.integerOperand(operandTypes, 1, 1, "sequence_lens");
        int batch = axes(x, attributes)[0];
        if (ShapeSupport.known(lens.dim(0)) && ShapeSupport.known(x.dim(batch)) && lens.dim(0) != x.dim(batch)) {
            throw new InvalidOpException("expects one sequence length per batch entry (" + x.dim(batch) + "), found "
                    + lens.text());
        }
        return List.of(x);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr lens = operands.get(1);
        int[] ax = axes(x.type(), op.attributes());
        long[] shape = x.type().shapeArray();
        long[] strides = IndexMath.strides(shape);
        if (lens.numElements() != shape[ax[0]]) {
            throw new IllegalArgumentException("sequence_lens has " + lens.numElements() + " entries for a batch of "
                    + shape[ax[0]]);
        }
        int[] source = new int[(int) x.numElements()];
        for (int i = 0; i < source.length; i++) {
            long b = i / strides[ax[0]] % shape[ax[0]];
            long t = i / strides[ax[1]] % shape[ax[1]];
            long len = lens.getLong(b);
            if (len < 0 || len > shape[ax[1]]) {
                throw new IllegalArgumentException("sequence length " + len + " is out of range 0.." + shape[ax[1]]);
            }
            source[i] = (int) (t < len ? i + (len - 1 - 2 * t) * strides[ax[1]] : i);
        }
        return List.of(NnTypes.gather(x, shape, source));
    }
}
