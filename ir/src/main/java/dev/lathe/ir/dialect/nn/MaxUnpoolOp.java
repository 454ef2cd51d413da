package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
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
 * {@code nn.max_unpool}: the partial inverse of {@code nn.max_pool} (ONNX MaxUnpool): a zero
 * tensor with each {@code x} element written at its flat index from {@code indices} (i64, x's
 * shape, indices into the whole result as {@code nn.max_pool} gives them). Attributes
 * {@code kernel_shape} (required), {@code strides}, {@code pads}: the default result spatial
 * size is {@code (in - 1) * stride - pad_begin - pad_end + kernel}; {@code output_shape} (full
 * shape, optional) enlarges it: the indices address the default shape, which is padded with
 * zeros at the end of each dim (as ONNX's reference does). Dynamic form: {@code nn.max_unpool(%x, %indices, %output_shape)}
 * with the shape read at run time (result spatial dims {@code ?}).
 *
 * <p>{@code %y = "nn.max_unpool"(%x, %i) {kernel_shape = [2, 2], strides = [2, 2]} :
 * (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32>}
 *
 * <p>Where two elements name one index, the later (row-major) wins; an index out of range is
 * an error (ONNX leaves both open).
 */
public final class MaxUnpoolOp extends AbstractOpDefinition {

    public static final String NAME = "nn.max_unpool";

    public MaxUnpoolOp() {
        super(NAME, "scatters pooled maxima back to their indices in a zero tensor (ONNX MaxUnpool)",
                OpSchema.of(2, AttrSpec.required("kernel_shape", ArrayAttr.class), AttrSpec.optional("strides", ArrayAttr.class),
                        AttrSpec.optional("pads", ArrayAttr.class), AttrSpec.optional("output_shape", ArrayAttr.class))
                        .withOperands(2, 3),
                Set.of(Trait.PURE));
    }

    private static long[] defaultShape(TensorType x, Map<String, Attribute> attributes) {
        long[] in = WindowGeometry.spatial(x.shapeArray());
        int n = in.length;
        long[] kernel = ConvAttrs.perDim(attributes, "kernel_shape", n, 1);
        long[] strides = ConvAttrs.perDim(attributes, "strides", n, 1);
        long[] pads = ConvAttrs.perDim(attributes, "pads", 2 * n, 0);
        long[] out = new long[n];
        for (int d = 0; d < n; d++) {
            out[d] = in[d] == TensorType.DYNAMIC ? in[d] : (in[d] - 1) * strides[d] - pads[d] - pads[d + n] + kernel[d];
        }
        return WindowGeometry.withSpatial(x.dim(0), x.dim(1), out);
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType indices = NnTypes.tensor(operandTypes, 1);
        ConvAttrs.requireMinRank(x, 3, "an input [N, C, spatial...]");
        if (indices.elementType() != ScalarType.I64 || !indices.isCompatibleWith(x.withElementType(ScalarType.I64))) {
            throw new InvalidOpException("expects i64 indices of the input's shape, found " + indices.text() + " for "
                    + x.text());
        }
        long[] shape = defaultShape(x, attributes);
        if (operandTypes.size() > 2) {
            for (int d = 2; d < shape.length; d++) {
                shape[d] = TensorType.DYNAMIC;
            }
        } else if (NnTypes.longs(attributes, "output_shape") != null) {
            shape = NnTypes.longs(attributes, "output_shape");
            if (shape.length != x.rank()) {
                throw new InvalidOpException("expects output_shape of " + x.rank() + " entries, found " + NnTypes.text(shape));
            }
        }
        return List.of(NnTypes.type(x.elementType(), shape));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        DenseElementsAttr indices = operands.get(1);
        long[] natural = defaultShape(x.type(), op.attributes());
        long[] shape = operands.size() > 2 ? operands.get(2).toLongs()
                : ((TensorType) inferResultTypes(List.of(x.type(), indices.type()), op.attributes()).get(0)).shapeArray();
        if (shape.length != natural.length) {
            throw new IllegalArgumentException("output shape " + NnTypes.text(shape) + " must have rank " + natural.length);
        }
        int naturalSize = IndexMath.count(natural);
        long[] position = new long[natural.length];
        long[] strides = IndexMath.strides(shape);
        int bytes = x.elementType().byteSize();
        byte[] in = x.toBytes();
        byte[] out = new byte[IndexMath.count(shape) * bytes];
        for (int i = 0; i < x.numElements(); i++) {
            long at = indices.getLong(i);
            if (at < 0 || at >= naturalSize) {
                throw new IllegalArgumentException("index " + at + " is outside the unpooled " + NnTypes.text(natural));
            }
            // Indices address the natural unpooled shape; a larger output_shape pads it at the end of each dim.
            WindowGeometry.unravel(at, natural, position);
            long flat = 0;
            for (int d = 0; d < natural.length; d++) {
                if (position[d] >= shape[d]) {
                    throw new IllegalArgumentException("output shape " + NnTypes.text(shape) + " is smaller than the"
                            + " unpooled " + NnTypes.text(natural));
                }
                flat += position[d] * strides[d];
            }
            System.arraycopy(in, i * bytes, out, (int) flat * bytes, bytes);
        }
        return List.of(DenseElementsAttr.fromBytes(NnTypes.type(x.elementType(), shape), out));
    }
}
