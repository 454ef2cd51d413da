package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.nn.SliceOp;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code Slice}: {@code starts}, {@code ends} and optional {@code axes} are attributes before
 * opset 10; from 10 on they are inputs, with optional {@code axes} and {@code steps}. When every
 * given one is known at import time, {@code nn.slice(%x) {starts, ends, axes, steps}}; otherwise
 * the dynamic form {@code nn.slice(%x, %starts, %ends, %axes, %steps)}, with constants
 * {@code 0..n-1} and ones supplied for absent axes and steps (which needs a static length n).
 */
final class SliceConverter implements OnnxOpConverter {

    private static final String[] NAMES = {"starts", "ends", "axes", "steps"};

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value x = node.input(0);
        long[][] values = new long[4][];
        if (node.opset() < 10) {
            for (int i = 0; i < 3; i++) {
                values[i] = node.ints(NAMES[i]);
            }
            if (values[0] == null || values[1] == null) {
                throw node.error("requires attributes 'starts' and 'ends' in opset " + node.opset());
            }
            return List.of(staticSlice(ctx, x, values));
        }
        boolean constant = true;
        for (int i = 0; i < 4; i++) {
            if (node.hasInput(i + 1)) {
                TensorType t = node.inputType(i + 1);
                if (t.rank() != 1 || !t.elementType().isInteger()) {
                    throw node.error(NAMES[i] + " must be a 1-D tensor of integers, found " + t.text());
                }
                values[i] = ctx.constantLongs(node.input(i + 1));
                constant &= values[i] != null;
            } else if (i < 2) {
                node.input(i + 1); // the required error
            }
        }
        if (constant) {
            return List.of(staticSlice(ctx, x, values));
        }
        long n = node.inputType(1).dim(0);
        List<Value> operands = new ArrayList<>(List.of(x, node.input(1), node.input(2)));
        for (int i = 2; i < 4; i++) {
            if (node.hasInput(i + 1)) {
                operands.add(node.input(i + 1));
                continue;
            }
            if (n == TensorType.DYNAMIC) {
                throw node.unsupported("starts of unknown length computed at run time, without explicit " + NAMES[i]);
            }
            long[] fill = new long[(int) n];
            for (int k = 0; k < n; k++) {
                fill[k] = i == 2 ? k : 1;
            }
            operands.add(ctx.longs(fill));
        }
        return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(SliceOp.NAME, operands, Map.of())));
    }

    private static Value staticSlice(ConversionContext ctx, Value x, long[][] values) {
        Map<String, Attribute> attrs = new TreeMap<>();
        for (int i = 0; i < 4; i++) {
            if (values[i] != null) {
                attrs.put(NAMES[i], ArrayAttr.ofLongs(values[i]));
            }
        }
        if (values[2] == null) {
            long[] axes = new long[values[0].length];
            Arrays.setAll(axes, k -> k);
            attrs.put("axes", ArrayAttr.ofLongs(axes));
        }
        return ImportTimeFolding.result(ctx, ctx.builder().create(SliceOp.NAME, List.of(x), attrs));
    }
}
