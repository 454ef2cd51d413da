package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
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
 * {@code nn.space_to_depth}: ONNX SpaceToDepth on an NCHW tensor, the inverse of
 * {@code nn.depth_to_space} in {@code DCR} mode: {@code [N, C, H, W] -> [N, C * b², H / b, W / b]}
 * with {@code b} = attribute {@code block_size} (integer {@code >= 1}, required; H and W must
 * divide). Element {@code (c, h * b + i, w * b + j)} lands in channel {@code (i * b + j) * C + c}.
 * Any element type.
 *
 * <p>{@code %1 = "nn.space_to_depth"(%0) {block_size = 2} : (tensor<1x1x4x6xf32>) -> tensor<1x4x2x3xf32>}
 */
public final class SpaceToDepthOp extends AbstractOpDefinition {

    public static final String NAME = "nn.space_to_depth";

    public SpaceToDepthOp() {
        super(NAME, "moves spatial blocks into channels (NCHW)",
                OpSchema.of(1, AttrSpec.required("block_size", IntegerAttr.class)), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        long b = DepthToSpaceOp.blockSize(x, attributes);
        long[] shape = x.shapeArray();
        for (int d = 2; d < 4; d++) {
            if (ShapeSupport.known(shape[d]) && shape[d] % b != 0) {
                throw new InvalidOpException("expects H and W divisible by block_size " + b + ", found " + x.text());
            }
            shape[d] = ShapeSupport.known(shape[d]) ? shape[d] / b : shape[d];
        }
        shape[1] = ShapeSupport.mulDims(shape[1], b * b);
        return List.of(NnTypes.type(x.elementType(), shape));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        long[] s = x.type().shapeArray();
        long b = DepthToSpaceOp.blockSize(x.type(), op.attributes());
        long[] shape = ((TensorType) inferResultTypes(List.of(x.type()), op.attributes()).get(0)).shapeArray();
        int[] source = new int[IndexMath.count(shape)];
        int pos = 0;
        for (long n = 0; n < shape[0]; n++) {
            for (long ch = 0; ch < shape[1]; ch++) {
                long c = ch % s[1];
                long i = ch / s[1] / b;
                long j = ch / s[1] % b;
                for (long y = 0; y < shape[2]; y++) {
                    for (long w = 0; w < shape[3]; w++) {
                        source[pos++] = (int) (((n * s[1] + c) * s[2] + y * b + i) * s[3] + w * b + j);
                    }
                }
            }
        }
        return List.of(NnTypes.gather(x, shape, source));
    }
}
