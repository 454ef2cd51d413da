package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
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
 * {@code nn.depth_to_space}: ONNX DepthToSpace on an NCHW tensor: {@code [N, C, H, W] ->
 * [N, C / b², H * b, W * b]} with {@code b} = attribute {@code block_size} (integer
 * {@code >= 1}, required). Attribute {@code mode} (string, default {@code "DCR"}): in
 * {@code DCR} the channel {@code (i * b + j) * C' + c} lands at {@code (c, h * b + i, w * b + j)};
 * in {@code CRD} the channel {@code c * b² + i * b + j} does. Any element type.
 *
 * <p>{@code %1 = "nn.depth_to_space"(%0) {block_size = 2, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>}
 */
public final class DepthToSpaceOp extends AbstractOpDefinition {

    public static final String NAME = "nn.depth_to_space";

    public DepthToSpaceOp() {
        super(NAME, "moves blocks of channels into spatial blocks (NCHW)",
                OpSchema.of(1, AttrSpec.required("block_size", IntegerAttr.class), AttrSpec.optional("mode", StringAttr.class)),
                Set.of(Trait.PURE));
    }

    /** Block size and a 4-D operand, checked. */
    static long blockSize(TensorType x, Map<String, Attribute> attributes) {
        long b = ShapeSupport.integer(attributes, "block_size", 0);
        if (b < 1) {
            throw new InvalidOpException("expects block_size >= 1, found " + b);
        }
        if (x.rank() != 4) {
            throw new InvalidOpException("expects a 4-D (NCHW) operand, found " + x.text());
        }
        return b;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        long b = blockSize(x, attributes);
        ShapeSupport.choice(attributes, "mode", "DCR", "CRD");
        long c = x.dim(1);
        if (ShapeSupport.known(c) && c % (b * b) != 0) {
            throw new InvalidOpException("expects channels divisible by block_size² = " + b * b + ", found " + x.text());
        }
        return List.of(NnTypes.type(x.elementType(), new long[] {x.dim(0), ShapeSupport.known(c) ? c / (b * b) : c,
                ShapeSupport.mulDims(x.dim(2), b), ShapeSupport.mulDims(x.dim(3), b)}));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] s = x.type().shapeArray();
        long b = blockSize(x.type(), op.attributes());
        boolean dcr = ShapeSupport.choice(op.attributes(), "mode", "DCR", "CRD").equals("DCR");
        long[] shape = ((TensorType) inferResultTypes(List.of(x.type()), op.attributes()).get(0)).shapeArray();
        long cOut = shape[1];
        int[] source = new int[IndexMath.count(shape)];
        int pos = 0;
        for (long n = 0; n < shape[0]; n++) {
            for (long c = 0; c < cOut; c++) {
                for (long y = 0; y < shape[2]; y++) {
                    for (long w = 0; w < shape[3]; w++) {
                        long i = y % b;
                        long j = w % b;
                        long channel = dcr ? (i * b + j) * cOut + c : c * b * b + i * b + j;
                        source[pos++] = (int) (((n * s[1] + channel) * s[2] + y / b) * s[3] + w / b);
                    }
                }
            }
        }
        return List.of(NnTypes.gather(x, shape, source));
    }
}
