package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.where}: {@code condition ? x : y} elementwise, the three broadcast together with
 * numpy rules (ONNX {@code Where}). {@code condition} is i1; {@code x} and {@code y} have one
 * element type, any, which the result has. Elements are copied bit for bit.
 *
 * <p>{@code %3 = "nn.where"(%c, %x, %y) : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>}
 *
 * <p>Folds: {@code where(c, x, x)} to {@code x} when {@code x} has the result type.
 */
public final class WhereOp extends AbstractOpDefinition {

    public static final String NAME = "nn.where";

    public WhereOp() {
        super(NAME, "condition ? x : y elementwise, numpy broadcasting of all three", OpSchema.of(3),
                Set.of(Trait.PURE, Trait.ELEMENTWISE, Trait.BROADCASTING));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType c = NnTypes.tensor(operandTypes, 0);
        ElementKinds.require(c, ElementKinds.BOOL, "the condition");
        List<TensorType> xy = ElementKinds.sameElementType(operandTypes, 1, 3);
        return List.of(ElementKinds.broadcast(List.of(c, xy.get(0), xy.get(1)), xy.get(0).elementType()));
    }

    @Override
    public List<FoldResult> fold(Operation op, List<Attribute> constantOperands) {
        if (op.operand(1) == op.operand(2) && op.operand(1).type() == op.result().type()) {
            return List.of(FoldResult.existing(op.operand(1)));
        }
        return null;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        inferResultTypes(operands.stream().map(v -> (Type) v.type()).toList(), op.attributes());
        long[] shape = ElementKinds.shape(operands);
        int[][] maps = ElementKinds.maps(operands, shape);
        DenseElementsAttr c = operands.get(0);
        DenseElementsAttr x = operands.get(1);
        DenseElementsAttr y = operands.get(2);
        int size = x.elementType().byteSize();
        byte[] xb = x.toBytes();
        byte[] yb = y.toBytes();
        byte[] out = new byte[maps[0].length * size];
        for (int i = 0; i < maps[0].length; i++) {
            boolean pick = c.getLong(maps[0][i]) != 0;
            System.arraycopy(pick ? xb : yb, (pick ? maps[1][i] : maps[2][i]) * size, out, i * size, size);
        }
        return List.of(DenseElementsAttr.fromBytes(TensorType.of(x.elementType(), shape), out));
    }
}
