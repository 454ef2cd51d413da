package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpRegistry;
import dev.lathe.frontend.onnx.OnnxTypes;
import dev.lathe.frontend.onnx.proto.AttributeProto;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.nn.ConcatFromSequenceOp;
import dev.lathe.ir.dialect.nn.OptionalGetElementOp;
import dev.lathe.ir.dialect.nn.OptionalHasElementOp;
import dev.lathe.ir.dialect.nn.OptionalOp;
import dev.lathe.ir.dialect.nn.SequenceAtOp;
import dev.lathe.ir.dialect.nn.SequenceConstructOp;
import dev.lathe.ir.dialect.nn.SequenceEmptyOp;
import dev.lathe.ir.dialect.nn.SequenceEraseOp;
import dev.lathe.ir.dialect.nn.SequenceInsertOp;
import dev.lathe.ir.dialect.nn.SequenceLengthOp;
import dev.lathe.ir.dialect.nn.SplitToSequenceOp;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converters of the sequence and optional family (opsets 11 to 21): each ONNX op becomes the
 * {@code nn} op of the same name ({@code SequenceInsert} is {@code nn.sequence_insert}), with
 * positions passed as operands (they never decide a result type). SequenceMap, whose body
 * becomes a region, is {@link SequenceMapConverter}. One line in
 * {@link BuiltinConverters#registerAll} registers them all.
 */
public final class SequenceConverters {

    private SequenceConverters() {}

    public static void registerAll(OnnxOpRegistry r) {
        r.register("SequenceConstruct", (node, ctx) -> one(ctx, SequenceConstructOp.NAME, present(node), Map.of()));
        r.register("SequenceEmpty", SequenceConverters::sequenceEmpty);
        r.register("SequenceInsert", (node, ctx) -> one(ctx, SequenceInsertOp.NAME, present(node), Map.of()));
        r.register("SequenceAt", (node, ctx) -> one(ctx, SequenceAtOp.NAME, present(node), Map.of()));
        r.register("SequenceErase", (node, ctx) -> one(ctx, SequenceEraseOp.NAME, present(node), Map.of()));
        r.register("SequenceLength", (node, ctx) -> one(ctx, SequenceLengthOp.NAME, present(node), Map.of()));
        r.register("SplitToSequence", SequenceConverters::splitToSequence);
        r.register("ConcatFromSequence", (node, ctx) -> one(ctx, ConcatFromSequenceOp.NAME, present(node),
                Map.of("axis", IntegerAttr.of(node.intOr("axis", 0)),
                        "new_axis", BoolAttr.of(node.intOr("new_axis", 0) != 0))));
        r.register("SequenceMap", new SequenceMapConverter());
        r.register("Optional", SequenceConverters::optional);
        r.register("OptionalHasElement", SequenceConverters::optionalHasElement);
        r.register("OptionalGetElement", (node, ctx) -> node.input(0).type() instanceof OptionalType
                ? one(ctx, OptionalGetElementOp.NAME, List.of(node.input(0)), Map.of())
                : List.of(node.input(0))); // opset 18: a tensor or sequence is returned as it is
    }

    private static List<Value> one(ConversionContext ctx, String op, List<Value> operands, Map<String, Attribute> attrs) {
        return List.of(ctx.builder().create(op, operands, attrs));
    }

    /** The inputs that are given, in order (trailing optional inputs may be absent). */
    private static List<Value> present(OnnxNode node) {
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < node.numInputs(); i++) {
            if (node.hasInput(i)) {
                out.add(node.input(i));
            }
        }
        return out;
    }

    private static List<Value> sequenceEmpty(OnnxNode node, ConversionContext ctx) {
        int dtype = (int) node.intOr("dtype", 1); // FLOAT by default
        ScalarType element = OnnxTypes.elementType(dtype);
        if (element == null) {
            throw node.unsupported(OnnxTypes.unsupportedElementType("dtype", dtype));
        }
        return one(ctx, SequenceEmptyOp.NAME, List.of(), Map.of("dtype", new TypeAttr(element)));
    }

    /** A constant split becomes {@code chunk} (a scalar) or {@code split} (sizes); otherwise an operand. */
    private static List<Value> splitToSequence(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        attrs.put("axis", IntegerAttr.of(node.intOr("axis", 0)));
        attrs.put("keepdims", BoolAttr.of(node.intOr("keepdims", 1) != 0));
        List<Value> operands = new ArrayList<>(List.of(node.input(0)));
        if (node.hasInput(1)) {
            DenseElementsAttr split = ctx.constantValue(node.input(1));
            if (split == null) {
                operands.add(node.input(1));
            } else if (split.type().rank() == 0) {
                attrs.put("chunk", IntegerAttr.of(split.getLong(0)));
            } else {
                attrs.put("split", ArrayAttr.ofLongs(split.toLongs()));
            }
        }
        return one(ctx, SplitToSequenceOp.NAME, operands, attrs);
    }

    /** With an input, an optional holding it; without, an empty optional of the {@code type} attribute. */
    private static List<Value> optional(OnnxNode node, ConversionContext ctx) {
        if (node.hasInput(0)) {
            return one(ctx, OptionalOp.NAME, List.of(node.input(0)), Map.of());
        }
        AttributeProto type = node.attribute("type");
        if (type == null || !type.hasTp()) {
            throw node.error("an Optional without input needs the attribute 'type'");
        }
        Type element;
        try {
            element = OnnxTypes.valueType(type.getTp());
        } catch (IllegalArgumentException e) {
            throw node.unsupported("attribute 'type' " + e.getMessage());
        }
        return List.of(ctx.builder().createOp(OptionalOp.NAME, List.of(), Map.of(), List.of(OptionalType.of(element)))
                .result());
    }

    /** A missing input is an empty optional: the constant false. */
    private static List<Value> optionalHasElement(OnnxNode node, ConversionContext ctx) {
        if (!node.hasInput(0)) {
            return List.of(ctx.constant(DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I1), 0)));
        }
        return one(ctx, OptionalHasElementOp.NAME, List.of(node.input(0)), Map.of());
    }
}
