package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
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
 * {@code nn.bit_shift}: {@code x << s} or {@code x >> s} elementwise on unsigned integers, numpy
 * broadcasting (ONNX {@code BitShift}). Attribute {@code direction}: {@code "left"} or
 * {@code "right"} (required).
 *
 * <p>{@code %2 = "nn.bit_shift"(%0, %1) {direction = "left"} : (tensor<3xu8>, tensor<3xu8>) -> tensor<3xu8>}
 *
 * <p>Bits shifted out are lost (left shifts wrap to the width); right shifts are logical. A
 * shift by the width or more, which ONNX leaves open (C leaves it undefined), gives 0, as numpy.
 */
public final class BitShiftOp extends AbstractOpDefinition {

    public static final String NAME = "nn.bit_shift";

    public BitShiftOp() {
        super(NAME, "x << s or x >> s on unsigned integers, numpy broadcasting",
                OpSchema.of(2, AttrSpec.required("direction", StringAttr.class)),
                Set.of(Trait.PURE, Trait.ELEMENTWISE, Trait.BROADCASTING));
    }

    /** True for {@code "left"}, false for {@code "right"}, else an error. */
    static boolean isLeft(Map<String, Attribute> attributes) {
        Attribute a = attributes.get("direction");
        if (!(a instanceof StringAttr s) || !(s.value().equals("left") || s.value().equals("right"))) {
            throw new InvalidOpException("expects direction \"left\" or \"right\", found "
                    + (a == null ? "none" : a.text()));
        }
        return s.value().equals("left");
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        List<TensorType> types = ElementKinds.sameElementType(operandTypes, 0, 2);
        ElementKinds.require(types.get(0), ElementKinds.UNSIGNED, "");
        isLeft(attributes);
        return List.of(ElementKinds.broadcast(types, types.get(0).elementType()));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        inferResultTypes(List.of(operands.get(0).type(), operands.get(1).type()), op.attributes());
        boolean left = isLeft(op.attributes());
        DenseElementsAttr a = operands.get(0);
        DenseElementsAttr b = operands.get(1);
        long[] shape = ElementKinds.shape(operands);
        int[][] maps = ElementKinds.maps(operands, shape);
        ScalarType et = a.elementType();
        long width = 8L * et.byteSize();
        long[] out = new long[maps[0].length];
        for (int i = 0; i < out.length; i++) {
            long x = a.getLong(maps[0][i]);
            long s = b.getLong(maps[1][i]);
            if (Long.compareUnsigned(s, width) >= 0) {
                out[i] = 0;
            } else {
                out[i] = left ? x << s : x >>> s;
            }
        }
        return List.of(NnTypes.integers(et, shape, out));
    }
}
