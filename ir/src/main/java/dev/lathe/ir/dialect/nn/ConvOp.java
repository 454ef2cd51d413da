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
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.conv}: grouped N-D convolution (ONNX Conv; cross-correlation, as in every framework).
 * Operands: {@code x [N, C, in...]}, {@code w [M, C/group, k...]}, optional {@code bias [M]};
 * result {@code [N, M, out...]} with the output sizes of {@link WindowGeometry}. Attributes
 * (optional): {@code strides}, {@code dilations}, {@code pads}, {@code auto_pad} as in
 * {@link WindowGeometry}; {@code group} (integer, default 1). The kernel size is {@code w}'s.
 * One element type for all operands, any arithmetic type (integers wrap).
 *
 * <p>{@code %y = "nn.conv"(%x, %w, %b) {pads = [1, 1, 1, 1], strides = [2, 2]} :
 * (tensor<1x3x7x5xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x3xf32>}
 *
 * <p>Floats accumulate in double (from {@code -0.0}, plus the bias last) and round once.
 */
public final class ConvOp extends AbstractOpDefinition {

    public static final String NAME = "nn.conv";

    public ConvOp() {
        super(NAME, "grouped N-D convolution with strides, dilations and padding (ONNX Conv)",
                OpSchema.of(2, AttrSpec.optional("strides", ArrayAttr.class), AttrSpec.optional("dilations", ArrayAttr.class),
                        AttrSpec.optional("pads", ArrayAttr.class), AttrSpec.optional("auto_pad", StringAttr.class),
                        AttrSpec.optional("group", IntegerAttr.class)).withOperands(2, 3),
                Set.of(Trait.PURE));
    }

    /** The group count, checked against the channel counts of {@code x} and {@code w}. */
    static int group(TensorType x, TensorType w, Map<String, Attribute> attributes) {
        long group = ConvAttrs.integer(attributes, "group", 1);
        ConvAttrs.requireMinRank(x, 3, "an input [N, C, spatial...]");
        ConvAttrs.requireRank(w, x.rank(), "weights [M, C/group, kernel...] of the input's rank");
        if (group < 1 || ConvAttrs.differ(x.dim(1), w.dim(1) * group) && w.dim(1) != TensorType.DYNAMIC) {
            throw new InvalidOpException("expects input channels = weight dim 1 x group, found " + x.text() + ", "
                    + w.text() + " and group " + group);
        }
        if (w.dim(0) != TensorType.DYNAMIC && w.dim(0) % group != 0) {
            throw new InvalidOpException("expects the filter count " + w.dim(0) + " to be a multiple of group " + group);
        }
        return (int) group;
    }

    /** The result shape of a convolution of {@code x} with {@code w} (also for the integer forms). */
    static WindowGeometry geometry(TensorType x, TensorType w, Map<String, Attribute> attributes) {
        group(x, w, attributes);
        return WindowGeometry.of(WindowGeometry.spatial(x.shapeArray()), WindowGeometry.spatial(w.shapeArray()),
                attributes);
    }

    static long[] resultShape(TensorType x, TensorType w, Map<String, Attribute> attributes) {
        return WindowGeometry.withSpatial(x.dim(0), w.dim(0), geometry(x, w, attributes).output());
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType w = NnTypes.tensor(operandTypes, 1);
        NnTypes.requireArithmetic(x);
        NnTypes.requireSameElementType(x, w);
        if (operandTypes.size() > 2) {
            TensorType b = NnTypes.tensor(operandTypes, 2);
            NnTypes.requireSameElementType(x, b);
            if (b.rank() != 1 || ConvAttrs.differ(b.dim(0), w.dim(0))) {
                throw new InvalidOpException("expects a bias [" + w.dim(0) + "] (one per filter), found " + b.text());
            }
        }
        return List.of(NnTypes.type(x.elementType(), resultShape(x, w, attributes)));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr w = operands.get(1);
        long[] shape = resultShape(x.type(), w.type(), op.attributes());
        boolean isFloat = x.elementType().isFloat();
        ConvKernel.Data y = ConvKernel.convolve(ConvKernel.Data.of(isFloat, x), x.type().shapeArray(),
                ConvKernel.Data.of(isFloat, w), w.type().shapeArray(), geometry(x.type(), w.type(), op.attributes()),
                group(x.type(), w.type(), op.attributes()));
        if (operands.size() > 2) {
            DenseElementsAttr b = operands.get(2);
            int outSize = IndexMath.count(WindowGeometry.spatial(shape));
            for (int i = 0; i < IndexMath.count(shape); i++) {
                int m = (int) ((i / outSize) % shape[1]);
                if (isFloat) {
                    y.doubles()[i] += b.getDouble(m);
                } else {
                    y.longs()[i] += b.getLong(m);
                }
            }
        }
        return List.of(isFloat ? NnTypes.floats(x.elementType(), shape, y.doubles())
                : NnTypes.integers(x.elementType(), shape, y.longs()));
    }
}
