package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.nn.ReshapeOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code Reshape}. The target comes from the {@code shape} attribute (opsets 1-4) or the
 * second input (opset 5 on); when it is known at import time it becomes
 * {@code nn.reshape {shape = [...]}} with ONNX's {@code 0} ("copy the input's dim", unless
 * {@code allowzero = 1}) resolved against the input type: a static dim is copied, one dynamic
 * dim becomes the {@code -1}. A target known only at run time, or one that copies several
 * dynamic dims, needs the dynamic form {@code nn.reshape(%x, %shape) {copy_zero_dims}}, used
 * when the nn dialect has it.
 */
final class ReshapeConverter implements OnnxOpConverter {

    /** The attribute of the dynamic form: entries {@code 0} of the shape operand copy the input dim. */
    static final String COPY_ZERO_DIMS = "copy_zero_dims";

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value x = node.input(0);
        TensorType xt = node.inputType(0);
        boolean allowZero = node.intOr("allowzero", 0) != 0;
        long[] shape;
        Value shapeOperand = null;
        if (node.opset() < 5) {
            shape = node.ints("shape");
            if (shape == null) {
                throw node.error("requires attribute 'shape' in opset " + node.opset());
            }
        } else {
            shapeOperand = node.input(1);
            TensorType st = node.inputType(1);
            if (st.rank() != 1 || st.elementType() != ScalarType.I64) {
                throw node.error("shape input must be a 1-D tensor of INT64, found " + st.text());
            }
            shape = ctx.constantLongs(shapeOperand);
        }
        if (shape != null) {
            long[] resolved = resolve(node, xt, shape, allowZero);
            if (resolved != null) {
                Map<String, Attribute> attrs = Map.of("shape", ArrayAttr.ofLongs(resolved));
                return List.of(ImportTimeFolding.result(ctx, ctx.builder().create(ReshapeOp.NAME, List.of(x), attrs)));
            }
            shapeOperand = shapeOperand != null ? shapeOperand : ctx.longs(shape);
        }
        return List.of(dynamic(node, ctx, x, shapeOperand, allowZero));
    }

    /**
     * The static target for {@code nn.reshape}, or null when ONNX's copies of dynamic dims cannot
     * be written with a single {@code -1}.
     */
    private static long[] resolve(OnnxNode node, TensorType x, long[] shape, boolean allowZero) {
        long[] out = shape.clone();
        int inferred = -1;
        boolean hasZero = false;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < -1) {
                throw node.error("shape " + java.util.Arrays.toString(shape) + " has entry " + shape[i]
                        + "; expected sizes >= 0, at most one -1");
            }
            if (shape[i] == -1) {
                if (inferred >= 0) {
                    throw node.error("shape " + java.util.Arrays.toString(shape) + " has more than one -1");
                }
                inferred = i;
            }
            hasZero |= shape[i] == 0;
        }
        if (allowZero) {
            if (hasZero && inferred >= 0) {
                throw node.error("shape " + java.util.Arrays.toString(shape)
                        + " has both 0 and -1, which allowzero = 1 forbids (the -1 would be ambiguous)");
            }
            return out;
        }
        int dynamicCopies = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 0) {
                continue;
            }
            if (i >= x.rank()) {
                throw node.error("shape " + java.util.Arrays.toString(shape) + " copies dim " + i + " (entry 0) but the input "
                        + x.text() + " has rank " + x.rank());
            }
            out[i] = x.dim(i);
            if (x.isDynamic(i)) {
                dynamicCopies++;
                out[i] = -1; // TensorType.DYNAMIC is -1 too: the one inferred dim
            }
        }
        // One copied dynamic dim can be the inferred one; more, or one beside a -1, cannot.
        return dynamicCopies == 0 || (dynamicCopies == 1 && inferred < 0) ? out : null;
    }

    private static Value dynamic(OnnxNode node, ConversionContext ctx, Value x, Value shape, boolean allowZero) {
        OpSchema schema = DialectRegistry.global().lookup(ReshapeOp.NAME).orElseThrow().schema();
        if (schema.maxOperands() != OpSchema.VARIADIC && schema.maxOperands() < 2) {
            throw node.unsupported(ctx.probeConstantValue(shape) == null
                    ? "the target shape is computed at run time, and nn.reshape has no form with a shape operand yet"
                    : "the target shape copies dims of the input that are unknown until run time (entries 0),"
                            + " and nn.reshape has no form with a shape operand yet");
        }
        Map<String, Attribute> attrs = allowZero ? Map.of() : Map.of(COPY_ZERO_DIMS, BoolAttr.of(true));
        return ImportTimeFolding.result(ctx, ctx.builder().create(ReshapeOp.NAME, List.of(x, shape), attrs));
    }
}
