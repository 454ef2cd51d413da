package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.PadOp;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code Pad}. Before opset 11 the pads ({@code paddings} in opset 1) and the float
 * {@code value} are attributes; from 11 on {@code pads} and the optional {@code constant_value}
 * are inputs, and opset 18 adds an optional {@code axes} input naming the dims the pads are for.
 * Known pads (after spreading them over all dims by {@code axes}) become the attribute
 * {@code pads}; pads known only at run time the dynamic form's operand (then {@code axes}, if
 * given, must be known and list every dim in order). A pad value is an operand: the
 * {@code constant_value} input, or a scalar constant for a nonzero {@code value} attribute.
 */
final class PadConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value x = node.input(0);
        TensorType xt = node.inputType(0);
        int rank = xt.rank();
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("mode", new StringAttr(node.stringOr("mode", "constant")));
        long[] pads;
        Value padsInput = null;
        Value value = null;
        if (node.opset() < 11) {
            pads = node.ints(node.opset() < 2 ? "paddings" : "pads");
            if (pads == null) {
                throw node.error("requires attribute 'pads'");
            }
            float v = node.floatOr("value", 0f);
            if (v != 0f) {
                value = ctx.scalar(xt.elementType(), v);
            }
        } else {
            padsInput = node.input(1);
            pads = ctx.constantLongs(padsInput);
            value = node.inputOrNull(2);
            if (node.hasInput(3)) {
                long[] axes = ctx.constantLongs(node.input(3));
                if (axes == null) {
                    throw node.unsupported("the axes are computed at run time");
                }
                if (pads != null) {
                    pads = spread(node, pads, axes, rank);
                } else if (!isIdentity(axes, rank)) {
                    throw node.unsupported("pads computed at run time for some of the dims (axes " + java.util.Arrays
                            .toString(axes) + ")");
                }
            }
        }
        List<Value> operands = new ArrayList<>(List.of(x));
        if (pads != null) {
            attrs.put("pads", ArrayAttr.ofLongs(pads));
        } else {
            operands.add(padsInput);
        }
        if (value != null) {
            operands.add(value);
        }
        return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(PadOp.NAME, operands, attrs)));
    }

    /** Pads for {@code axes} only, spread over all {@code rank} dims (zeros elsewhere). */
    private static long[] spread(OnnxNode node, long[] pads, long[] axes, int rank) {
        if (pads.length != 2 * axes.length) {
            throw node.error("pads has " + pads.length + " entries for " + axes.length + " axes; expected "
                    + 2 * axes.length);
        }
        long[] out = new long[2 * rank];
        for (int i = 0; i < axes.length; i++) {
            long a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) {
                throw node.error("axis " + axes[i] + " is out of range for rank " + rank);
            }
            out[(int) a] = pads[i];
            out[(int) a + rank] = pads[i + axes.length];
        }
        return out;
    }

    private static boolean isIdentity(long[] axes, int rank) {
        if (axes.length != rank) {
            return false;
        }
        for (int i = 0; i < rank; i++) {
            if (axes[i] != i && axes[i] != i - rank) {
                return false;
            }
        }
        return true;
    }
}
