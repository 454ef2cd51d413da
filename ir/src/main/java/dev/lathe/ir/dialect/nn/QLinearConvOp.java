package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.qlinear_conv}: quantized convolution (ONNX QLinearConv), operands in ONNX's order
 * {@code x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point[, bias]}:
 * {@code acc = conv_integer(x, w) + bias} (i32 bias, per filter), then
 * {@code y = saturate(round(acc * x_scale * w_scale / y_scale) + y_zero_point)} in
 * {@code y_zero_point}'s type; {@code w_scale}, {@code w_zero_point} per tensor or per filter.
 * Window attributes and {@code group} as {@code nn.conv}.
 *
 * <p>The multiplier {@code x_scale * w_scale / y_scale} is computed in f32 as ONNX does; the
 * product with the accumulator in double; rounding is half to even.
 */
public final class QLinearConvOp extends AbstractOpDefinition {

    public static final String NAME = "nn.qlinear_conv";

    public QLinearConvOp() {
        super(NAME, "quantized convolution with requantization (ONNX QLinearConv)",
                OpSchema.of(8, AttrSpec.optional("strides", ArrayAttr.class), AttrSpec.optional("dilations", ArrayAttr.class),
                        AttrSpec.optional("pads", ArrayAttr.class), AttrSpec.optional("auto_pad", StringAttr.class),
                        AttrSpec.optional("group", IntegerAttr.class)).withOperands(8, 9),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType w = NnTypes.tensor(operandTypes, 3);
        long[] shape = ConvIntegerOp.check(x, NnTypes.tensor(operandTypes, 2), w, NnTypes.tensor(operandTypes, 5),
                attributes);
        ConvAttrs.requireFloat(NnTypes.tensor(operandTypes, 1), "x_scale");
        ConvAttrs.requireFloat(NnTypes.tensor(operandTypes, 4), "w_scale");
        ConvAttrs.requireFloat(NnTypes.tensor(operandTypes, 6), "y_scale");
        Quantization.axis(w, NnTypes.tensor(operandTypes, 4), 0, "w_scale");
        TensorType yz = NnTypes.tensor(operandTypes, 7);
        Quantization.requireQuantized(yz, "y_zero_point");
        if (operandTypes.size() > 8) {
            TensorType b = NnTypes.tensor(operandTypes, 8);
            if (b.elementType() != ScalarType.I32 || b.rank() != 1 || ConvAttrs.differ(b.dim(0), shape[1])) {
                throw new InvalidOpException("expects an i32 bias [" + shape[1] + "], found " + b.text());
            }
        }
        return List.of(NnTypes.type(yz.elementType(), shape));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr w = operands.get(3);
        long[] shape = ConvOp.resultShape(x.type(), w.type(), op.attributes());
        long[] acc = ConvIntegerOp.convolve(x, operands.get(2), w, operands.get(5), op.attributes());
        DenseElementsAttr ws = operands.get(4);
        double xs = operands.get(1).getDouble(0);
        double ys = operands.get(6).getDouble(0);
        DenseElementsAttr yz = operands.get(7);
        int[] channel = Quantization.parameterIndex(shape, 1, shape[1]);
        long[] out = new long[acc.length];
        for (int i = 0; i < out.length; i++) {
            int m = channel[i];
            long a = (int) (acc[i] + (operands.size() > 8 ? operands.get(8).getLong(m) : 0));
            double multiplier = Quantization.f32(Quantization.f32(xs * ws.getDouble(ws.numElements() == 1 ? 0 : m)) / ys);
            out[i] = Quantization.saturate(Math.rint(a * multiplier) + yz.getLong(0), yz.elementType());
        }
        return List.of(NnTypes.integers(yz.elementType(), shape, out));
    }
}
