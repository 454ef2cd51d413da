package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
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
 * {@code nn.eye_like}: ONNX EyeLike, a 2-D tensor of the operand's shape (only the shape is
 * read) with ones on diagonal {@code k} (attribute, integer, default 0; positive is above the
 * main diagonal) and zeros elsewhere. Attribute {@code element_type} (a type, optional; default
 * the operand's element type) gives the result's element type, any of them ({@code i1}: true).
 *
 * <p>{@code %1 = "nn.eye_like"(%0) {k = 1, element_type = f32} : (tensor<4x5xi32>) -> tensor<4x5xf32>}
 */
public final class EyeLikeOp extends AbstractOpDefinition {

    public static final String NAME = "nn.eye_like";

    public EyeLikeOp() {
        super(NAME, "ones on one diagonal, zeros elsewhere, in the shape of a 2-D operand",
                OpSchema.of(1, AttrSpec.optional("k", IntegerAttr.class), AttrSpec.optional("element_type", TypeAttr.class)),
                Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        if (x.rank() != 2) {
            throw new InvalidOpException("expects a 2-D operand, found " + x.text());
        }
        ShapeSupport.integer(attributes, "k", 0);
        Attribute et = attributes.get("element_type");
        if (et == null) {
            return List.of(x);
        }
        if (!(et instanceof TypeAttr t) || !(t.type() instanceof ScalarType s) || s == ScalarType.INDEX) {
            throw new InvalidOpException("attribute 'element_type' must be a tensor element type, found " + et.text());
        }
        return List.of(x.withElementType(s));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        TensorType type = ((TensorType) inferResultTypes(List.of(operands.get(0).type()), op.attributes()).get(0));
        long k = ShapeSupport.integer(op.attributes(), "k", 0);
        long rows = type.dim(0);
        long cols = type.dim(1);
        long[] out = new long[(int) (rows * cols)];
        for (long r = 0; r < rows; r++) {
            long c = r + k;
            if (c >= 0 && c < cols) {
                out[(int) (r * cols + c)] = 1;
            }
        }
        return List.of(DenseElementsAttr.fromLongs(type, out));
    }
}
