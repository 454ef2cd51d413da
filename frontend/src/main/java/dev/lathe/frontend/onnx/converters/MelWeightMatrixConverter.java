package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.frontend.onnx.OnnxTypes;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.nn.MelWeightMatrixOp;
import dev.lathe.ir.type.ScalarType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code MelWeightMatrix} (opset 17) onto {@code nn.mel_weight_matrix}: when all five inputs
 * are known at import time they become attributes (static form), else all five are operands;
 * {@code output_datatype} (default FLOAT) becomes {@code element_type}.
 */
final class MelWeightMatrixConverter implements OnnxOpConverter {

    private static final List<String> NAMES = List.of("num_mel_bins", "dft_length", "sample_rate",
            "lower_edge_hertz", "upper_edge_hertz");

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        int dataType = (int) node.intOr("output_datatype", 1);
        ScalarType et = OnnxTypes.elementType(dataType);
        if (et == null || et == ScalarType.I1) {
            throw node.unsupported("output_datatype " + OnnxTypes.dataTypeName(dataType) + " is not a number type Lathe has");
        }
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("element_type", new TypeAttr(et));
        List<Value> operands = new ArrayList<>();
        boolean allKnown = true;
        for (int i = 0; i < 5; i++) {
            operands.add(node.input(i));
            DenseElementsAttr v = ctx.constantValue(node.input(i));
            if (v == null || v.numElements() != 1) {
                allKnown = false;
            } else {
                attrs.put(NAMES.get(i), i < 3 ? IntegerAttr.of(v.getLong(0)) : new FloatAttr(v.getDouble(0), ScalarType.F32));
            }
        }
        if (!allKnown) {
            attrs.keySet().retainAll(List.of("element_type"));
            return List.of(ctx.builder().create(MelWeightMatrixOp.NAME, operands, attrs));
        }
        return List.of(ctx.builder().create(MelWeightMatrixOp.NAME, List.of(), attrs));
    }
}
