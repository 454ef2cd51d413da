package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.nn.DftOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code DFT} onto {@code nn.dft}: {@code axis} from the attribute (opsets 17-19, default 1)
 * or the third input (20+, default -2; it must be known at import time); {@code dft_length}
 * known at import time becomes the attribute, else the second operand (dynamic form);
 * {@code inverse} and {@code onesided} become bools.
 */
final class DftConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new TreeMap<>();
        long axis;
        if (node.opset() < 20) {
            axis = node.intOr("axis", 1);
        } else if (node.hasInput(2)) {
            long[] a = ctx.constantLongs(node.input(2));
            if (a == null || a.length != 1) {
                throw node.unsupported("an axis computed at run time");
            }
            axis = a[0];
        } else {
            axis = -2;
        }
        attrs.put("axis", IntegerAttr.of(axis));
        attrs.put("inverse", BoolAttr.of(node.intOr("inverse", 0) != 0));
        attrs.put("onesided", BoolAttr.of(node.intOr("onesided", 0) != 0));
        List<Value> operands = new ArrayList<>(List.of(node.input(0)));
        if (node.hasInput(1)) {
            long[] length = ctx.constantLongs(node.input(1));
            if (length != null && length.length != 1) {
                throw node.error("dft_length must be one integer, found " + length.length + " values");
            }
            if (length != null) {
                attrs.put("dft_length", IntegerAttr.of(length[0]));
            } else {
                operands.add(node.input(1));
            }
        }
        return List.of(ctx.builder().create(DftOp.NAME, operands, attrs));
    }
}
