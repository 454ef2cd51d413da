package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.conv_integer}: {@code nn.conv} of {@code x - x_zero_point} and
 * {@code w - w_zero_point} in i32 (ONNX ConvInteger). Operands {@code x}, {@code w} (u8 or i8,
 * each its own), {@code x_zero_point} (per tensor, x's type), {@code w_zero_point} (per tensor
 * or per filter, 1-D {@code [M]}, w's type); the importer supplies zeros for absent ones. Window
 * attributes and {@code group} as {@code nn.conv}. Result i32 {@code [N, M, out...]}; sums wrap in 32 bits.
 *
 * <p>{@code %y = "nn.conv_integer"(%x, %w, %xz, %wz) : (tensor<1x1x3x3xu8>, tensor<1x1x2x2xu8>,
 * tensor<u8>, tensor<u8>) -> tensor<1x1x2x2xi32>}
 */
public final class ConvIntegerOp extends AbstractOpDefinition {

    public static final String NAME = "nn.conv_integer";

    public ConvIntegerOp() {
        super(NAME, "integer convolution of zero-point-shifted u8/i8 tensors into i32 (ONNX ConvInteger)",
                OpSchema.of(4, AttrSpec.optional("strides", ArrayAttr.class), AttrSpec.optional("dilations", ArrayAttr.class),
                        AttrSpec.optional("pads", ArrayAttr.class), AttrSpec.optional("auto_pad", StringAttr.class),
                        AttrSpec.optional("group", IntegerAttr.class)),
                Set.of(Trait.PURE));
    }

    /** Checks the quantized data and zero points of {@code x}, {@code w}; returns the result shape. */
    static long[] check(TensorType x, TensorType xz, TensorType w, TensorType wz, Map<String, Attribute> attributes) {
        Quantization.requireQuantized(x, "an input");
        Quantization.requireQuantized(w, "weights");
        NnTypes.requireSameElementType(x, xz);
        NnTypes.requireSameElementType(w, wz);
        long[] shape = ConvOp.resultShape(x, w, attributes);
        Quantization.axis(x, xz, -1, "an input zero point of one element");
        Quantization.axis(w, wz, 0, "a weight zero point");
        return shape;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType w = NnTypes.tensor(operandTypes, 1);
        long[] shape = check(x, NnTypes.tensor(operandTypes, 2), w, NnTypes.tensor(operandTypes, 3), attributes);
        return List.of(NnTypes.type(ScalarType.I32, shape));
    }

    /** The i64 convolution of the shifted operands, for this op and {@code nn.qlinear_conv}. */
    static long[] convolve(DenseElementsAttr x, DenseElementsAttr xz, DenseElementsAttr w, DenseElementsAttr wz,
            Map<String, Attribute> attributes) {
        long[] xs = x.type().shapeArray();
        long[] ws = w.type().shapeArray();
        long[] xv = ConvKernel.shift(x.toLongs(), xs, 1, xz.toLongs());
        long[] wv = ConvKernel.shift(w.toLongs(), ws, 0, wz.toLongs());
        ConvKernel.Data y = ConvKernel.convolve(new ConvKernel.Data(null, xv), xs, new ConvKernel.Data(null, wv), ws,
                ConvOp.geometry(x.type(), w.type(), attributes), ConvOp.group(x.type(), w.type(), attributes));
        return y.longs();
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr w = operands.get(1);
        long[] shape = check(x.type(), operands.get(2).type(), w.type(), operands.get(3).type(), op.attributes());
        long[] y = convolve(x, operands.get(2), w, operands.get(3), op.attributes());
        return List.of(NnTypes.integers(ScalarType.I32, shape, y));
    }
}
