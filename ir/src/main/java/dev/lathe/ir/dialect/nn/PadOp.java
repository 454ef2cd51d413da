package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.pad}: ONNX Pad. {@code pads} holds {@code 2 * rank} counts, all begins then all ends
 * ({@code [x1_begin, x2_begin, ..., x1_end, x2_end, ...]}); a negative count crops. Attribute
 * {@code mode} (string, default {@code "constant"}): {@code constant} fills with the pad value,
 * {@code reflect} mirrors without repeating the edge, {@code edge} repeats the edge, {@code wrap}
 * wraps around. Pads larger than the dim repeat the rule (numpy's behaviour; ONNX leaves it
 * open); {@code reflect}, {@code edge} and {@code wrap} on an empty dim that gets padding are
 * errors.
 *
 * <p>Operands: {@code x}, then the pads when they are not the attribute {@code pads} (dynamic
 * form: a 1-D integer operand read at run time, every result dim {@code ?}), then optionally the
 * pad value (a one-element tensor of {@code x}'s element type, default 0). So
 * {@code nn.pad(%x) {pads}}, {@code nn.pad(%x, %value) {pads}}, {@code nn.pad(%x, %pads)} and
 * {@code nn.pad(%x, %pads, %value)}. Any element type.
 *
 * <p>{@code %1 = "nn.pad"(%0) {pads = [0, 1, 0, 2], mode = "edge"} : (tensor<2x3xi32>) -> tensor<2x6xi32>}
 *
 * <p>Folds all-zero pads to the operand.
 */
public final class PadOp extends AbstractOpDefinition {

    public static final String NAME = "nn.pad";

    public PadOp() {
        super(NAME, "pads (or crops) each dim, filling by mode constant, reflect, edge or wrap",
                OpSchema.of(1, AttrSpec.optional("pads", ArrayAttr.class), AttrSpec.optional("mode", StringAttr.class))
                        .withOperands(1, 3),
                Set.of(Trait.PURE));
    }

    private static String mode(Map<String, Attribute> attributes) {
        return ShapeSupport.choice(attributes, "mode", "constant", "reflect", "edge", "wrap");
    }

    private static long[] padded(long[] x, long[] pads) {
        if (pads.length != 2 * x.length) {
            throw new InvalidOpException("pads " + NnTypes.text(pads) + " has " + pads.length + " entries; expected "
                    + 2 * x.length + " (begin and end for each of " + x.length + " dims)");
        }
        long[] out = new long[x.length];
        for (int d = 0; d < x.length; d++) {
            out[d] = ShapeSupport.known(x[d]) ? x[d] + pads[d] + pads[d + x.length] : TensorType.DYNAMIC;
            if (ShapeSupport.known(x[d]) && out[d] < 0) {
                throw new InvalidOpException("pads " + NnTypes.text(pads) + " crop dimension " + d + " of size " + x[d]
                        + " below zero");
            }
        }
        return out;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        mode(attributes);
        long[] pads = NnTypes.longs(attributes, "pads");
        int valueIndex = pads != null ? 1 : 2;
        if (operandTypes.size() > valueIndex) {
            TensorType v = NnTypes.tensor(operandTypes, valueIndex);
            NnTypes.requireSameElementType(x, v);
            if (v.rank() > 1 || (v.rank() == 1 && v.dim(0) != 1)) {
                throw new InvalidOpException("expects a one-element pad value, found " + v.text());
            }
        }
        if (pads == null) {
            if (operandTypes.size() < 2) {
                throw new InvalidOpException("requires attribute 'pads' (or a pads operand)");
            }
            ShapeSupport.integerOperand(operandTypes, 1, 1, "pads");
            return List.of(ShapeSupport.dynamic(x.elementType(), x.rank()));
        }
        return List.of(NnTypes.type(x.elementType(), padded(x.shapeArray(), pads)));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        long[] pads = NnTypes.longs(op.attributes(), "pads");
        if (pads == null || op.operand(0).type() != op.result().type()) {
            return null;
        }
        for (long p : pads) {
            if (p != 0) {
                return null;
            }
        }
        return List.of(FoldResult.existing(op.operand(0)));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] pads = NnTypes.longs(op.attributes(), "pads");
        int valueIndex = pads != null ? 1 : 2;
        pads = pads != null ? pads : operands.get(1).toLongs();
        DenseElementsAttr value = operands.size() > valueIndex ? operands.get(valueIndex) : null;
        long[] xs = x.type().shapeArray();
        long[] out;
        try {
            out = padded(xs, pads);
        } catch (InvalidOpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        String mode = mode(op.attributes());
        for (int d = 0; d < xs.length; d++) {
            if (xs[d] == 0 && out[d] > 0 && !mode.equals("constant")) {
                throw new IllegalArgumentException("mode '" + mode + "' cannot pad dimension " + d + " of size 0");
            }
        }
        long[] begin = java.util.Arrays.copyOf(pads, xs.length);
        int[] source = ShapeSupport.sources(out, xs, (d, c) -> map(mode, c - begin[d], xs[d]));
        return List.of(ShapeSupport.gatherOrFill(x, out, source, value));
    }

    /** The operand coordinate for coordinate {@code i} relative to the start of a dim of size {@code n}. */
    private static long map(String mode, long i, long n) {
        if (i >= 0 && i < n) {
            return i;
        }
        return switch (mode) {
            case "edge" -> i < 0 ? 0 : n - 1;
            case "wrap" -> Math.floorMod(i, n);
            case "reflect" -> {
                if (n == 1) {
                    yield 0;
                }
                long period = 2 * (n - 1);
                long m = Math.floorMod(i, period);
                yield m < n ? m : period - m;
            }
            default -> -1;
        };
    }
}
