package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.frontend.onnx.OnnxOpRegistry;
import dev.lathe.frontend.onnx.OnnxTypes;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.nn.CompressOp;
import dev.lathe.ir.dialect.nn.ConcatOp;
import dev.lathe.ir.dialect.nn.CumSumOp;
import dev.lathe.ir.dialect.nn.DepthToSpaceOp;
import dev.lathe.ir.dialect.nn.ExpandOp;
import dev.lathe.ir.dialect.nn.EyeLikeOp;
import dev.lathe.ir.dialect.nn.GatherElementsOp;
import dev.lathe.ir.dialect.nn.GatherNdOp;
import dev.lathe.ir.dialect.nn.GatherOp;
import dev.lathe.ir.dialect.nn.NonZeroOp;
import dev.lathe.ir.dialect.nn.ReverseSequenceOp;
import dev.lathe.ir.dialect.nn.ScatterElementsOp;
import dev.lathe.ir.dialect.nn.ScatterNdOp;
import dev.lathe.ir.dialect.nn.ShapeOp;
import dev.lathe.ir.dialect.nn.SizeOp;
import dev.lathe.ir.dialect.nn.SpaceToDepthOp;
import dev.lathe.ir.dialect.nn.TileOp;
import dev.lathe.ir.dialect.nn.TriluOp;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Converters of the shape and data-movement family; one line in
 * {@link BuiltinConverters#registerAll} registers them all. Ops whose ONNX form maps attribute
 * for attribute onto one nn op are written here as {@link #direct} conversions; the others have
 * a class each ({@link SliceConverter}, {@link SplitConverter}, {@link PadConverter}, ...).
 */
final class ShapeConverters {

    private ShapeConverters() {}

    static void registerAll(OnnxOpRegistry r) {
        r.register("Shape", direct(ShapeOp.NAME, n -> ints(n, "start", "end")));
        r.register("Size", direct(SizeOp.NAME, n -> Map.of()));
        r.register("Concat", direct(ConcatOp.NAME, n -> Map.of("axis", IntegerAttr.of(n.intOr("axis", 1)))));
        r.register("Split", new SplitConverter());
        r.register("Slice", new SliceConverter());
        r.register("Gather", direct(GatherOp.NAME, n -> ints(n, "axis")));
        r.register("GatherElements", direct(GatherElementsOp.NAME, n -> ints(n, "axis")));
        r.register("GatherND", direct(GatherNdOp.NAME, n -> ints(n, "batch_dims")));
        r.register("Squeeze", new SqueezeConverter(false));
        r.register("Unsqueeze", new SqueezeConverter(true));
        r.register("Flatten", new FlattenConverter());
        r.register("Expand", new ValueInputConverter(ExpandOp.NAME, "shape", false, n -> Map.of()));
        r.register("Tile", new ValueInputConverter(TileOp.NAME, "repeats", false, n -> Map.of()));
        r.register("Pad", new PadConverter());
        r.register("ConstantOfShape", new ConstantOfShapeConverter());
        r.register("Range", new RangeConverter());
        r.register("Trilu", new ValueInputConverter(TriluOp.NAME, "k", true,
                n -> Map.of("upper", BoolAttr.of(n.intOr("upper", 1) != 0))));
        r.register("Scatter", direct(ScatterElementsOp.NAME, n -> ints(n, "axis")));
        r.register("ScatterElements", direct(ScatterElementsOp.NAME, ShapeConverters::axisAndReduction));
        r.register("ScatterND", direct(ScatterNdOp.NAME, ShapeConverters::axisAndReduction));
        r.register("OneHot", new OneHotConverter());
        r.register("DepthToSpace", direct(DepthToSpaceOp.NAME, n -> Map.of("block_size",
                IntegerAttr.of(n.intOr("blocksize", 0)), "mode", new StringAttr(n.stringOr("mode", "DCR")))));
        r.register("SpaceToDepth", direct(SpaceToDepthOp.NAME,
                n -> Map.of("block_size", IntegerAttr.of(n.intOr("blocksize", 0)))));
        r.register("EyeLike", direct(EyeLikeOp.NAME, ShapeConverters::eyeLike));
        r.register("Compress", direct(CompressOp.NAME, n -> ints(n, "axis")));
        r.register("NonZero", direct(NonZeroOp.NAME, n -> Map.of()));
        r.register("ReverseSequence", direct(ReverseSequenceOp.NAME, n -> ints(n, "batch_axis", "time_axis")));
        r.register("CumSum", new ValueInputConverter(CumSumOp.NAME, "axis", true, n -> Map.of(
                "exclusive", BoolAttr.of(n.intOr("exclusive", 0) != 0), "reverse", BoolAttr.of(n.intOr("reverse", 0) != 0))));
    }

    /** Every present input as an operand, attributes from {@code attributes}: one nn op. */
    static OnnxOpConverter direct(String nnOp, Function<OnnxNode, Map<String, Attribute>> attributes) {
        return (node, ctx) -> {
            List<Value> operands = node.inputs().stream().filter(Objects::nonNull).toList();
            return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(nnOp, operands, attributes.apply(node))));
        };
    }

    /** The integer attributes among {@code names} that the node sets, under the same names. */
    static Map<String, Attribute> ints(OnnxNode node, String... names) {
        Map<String, Attribute> out = new TreeMap<>();
        for (String name : names) {
            if (node.has(name)) {
                out.put(name, IntegerAttr.of(node.intOr(name, 0)));
            }
        }
        return out;
    }

    private static Map<String, Attribute> axisAndReduction(OnnxNode node) {
        Map<String, Attribute> out = ints(node, "axis");
        out.put("reduction", new StringAttr(node.stringOr("reduction", "none")));
        return out;
    }

    private static Map<String, Attribute> eyeLike(OnnxNode node) {
        Map<String, Attribute> out = ints(node, "k");
        if (node.has("dtype")) {
            ScalarType et = OnnxTypes.elementType((int) node.intOr("dtype", 0));
            if (et == null) {
                throw node.unsupported(OnnxTypes.unsupportedElementType("dtype", (int) node.intOr("dtype", 0)));
            }
            out.put("element_type", new TypeAttr(et));
        }
        return out;
    }
}
