package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesValues;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.split_to_sequence}: ONNX SplitToSequence. Splits a tensor along {@code axis}
 * (default 0, negative counts from the back) into a sequence:
 * <ul>
 *   <li>no split given: pieces of size 1; with {@code keepdims = false} the axis is removed;
 *   <li>{@code chunk = c} (ONNX's scalar {@code split}): pieces of size c, the last one smaller
 *       when c does not divide the dim;
 *   <li>{@code split = [s...]} (ONNX's 1-D {@code split}): pieces of those sizes, which must sum
 *       to the dim.
 * </ul>
 * Static form: the split is an attribute ({@code chunk} or {@code split}). Dynamic form: a
 * second operand, an i64 or i32 tensor of rank 0 (chunk) or 1 (sizes), read at run time.
 * The pieces' dim along the axis is {@code ?} unless every piece has size 1 and is kept.
 *
 * <p>{@code %s = "nn.split_to_sequence"(%x) {axis = 1, keepdims = false} : (tensor<2x3xf32>) -> !nn.sequence<tensor<2xf32>>}
 */
public final class SplitToSequenceOp extends AbstractOpDefinition implements EvaluatesValues {

    public static final String NAME = "nn.split_to_sequence";

    public SplitToSequenceOp() {
        super(NAME, "a tensor split along an axis into a sequence of pieces",
                OpSchema.of(1, AttrSpec.optional("axis", IntegerAttr.class), AttrSpec.optional("keepdims",
                        BoolAttr.class), AttrSpec.optional("chunk", IntegerAttr.class),
                        AttrSpec.optional("split", ArrayAttr.class)).withOperands(1, 2),
                Set.of(Trait.PURE));
    }

    private static boolean splitGiven(int numOperands, Map<String, Attribute> attributes) {
        return numOperands == 2 || attributes.containsKey("chunk") || attributes.containsKey("split");
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = SequenceSupport.tensor(operandTypes.get(0), "operand #0");
        if (x.rank() == 0) {
            throw new InvalidOpException("expects a tensor of rank >= 1 to split, found " + x.text());
        }
        int axis = SequenceSupport.axis(attributes, x.rank());
        if (operandTypes.size() == 2) {
            TensorType s = SequenceSupport.tensor(operandTypes.get(1), "operand #1 (the split)");
            if (s.rank() > 1 || s.elementType().isFloat()) {
                throw new InvalidOpException("expects the split to be an integer tensor of rank 0 or 1, found "
                        + s.text());
            }
        }
        List<Long> dims = new ArrayList<>(x.shape());
        if (!splitGiven(operandTypes.size(), attributes)) {
            if (NnTypes.bool(attributes, "keepdims", true)) {
                dims.set(axis, 1L);
            } else {
                dims.remove(axis);
            }
        } else {
            dims.set(axis, TensorType.DYNAMIC);
        }
        return List.of(SequenceType.of(TensorType.of(dims, x.elementType())));
    }

    @Override
    public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
        DenseElementsAttr x = operands.get(0).tensor("operand #0");
        Map<String, Attribute> attrs = op.attributes();
        int axis = SequenceSupport.axis(attrs, x.type().rank());
        long dim = x.type().dim(axis);
        List<Long> sizes = new ArrayList<>();
        boolean squeeze = false;
        long[] given = null;
        long chunk = -1;
        if (operands.size() == 2) {
            DenseElementsAttr s = operands.get(1).tensor("the split");
            if (s.type().rank() == 0) {
                chunk = s.getLong(0);
            } else {
                given = s.toLongs();
            }
        } else if (attrs.get("chunk") instanceof IntegerAttr c) {
            chunk = c.value();
        } else if (attrs.containsKey("split")) {
            given = NnTypes.longs(attrs, "split");
        } else {
            chunk = 1;
            squeeze = !NnTypes.bool(attrs, "keepdims", true);
        }
        if (given != null) {
            long sum = 0;
            for (long g : given) {
                if (g < 0) {
                    throw new IllegalArgumentException("split sizes must be >= 0, found " + g);
                }
                sizes.add(g);
                sum += g;
            }
            if (sum != dim) {
                throw new IllegalArgumentException("split sizes " + sizes + " sum to " + sum + ", expected dim " + axis
                        + " = " + dim);
            }
        } else {
            if (chunk <= 0) {
                throw new IllegalArgumentException("the split (a chunk size) must be > 0, found " + chunk);
            }
            for (long start = 0; start < dim; start += chunk) {
                sizes.add(Math.min(chunk, dim - start));
            }
        }
        List<RuntimeValue> pieces = new ArrayList<>();
        long start = 0;
        for (long size : sizes) {
            DenseElementsAttr piece = SequenceSupport.slice(x, axis, start, size);
            if (squeeze) {
                List<Long> dims = new ArrayList<>(piece.type().shape());
                dims.remove(axis);
                piece = piece.reshape(TensorType.of(dims, x.elementType()));
            }
            pieces.add(RuntimeValue.of(piece));
            start += size;
        }
        return List.of(RuntimeValue.sequence(pieces));
    }
}
