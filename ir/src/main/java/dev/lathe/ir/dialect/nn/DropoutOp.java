package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
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
 * {@code nn.dropout}: ONNX Dropout whose {@code ratio} and {@code training_mode} are only known at
 * run time (operands: x, a scalar float ratio, a scalar i1 training flag). Results: the output and
 * an i1 mask. The reference semantics are the deterministic cases only: not training, or a ratio
 * of 0, give {@code x} and a mask of ones; real random dropout is an error, since no reference can
 * reproduce another runtime's random numbers. Constant flags never reach this op: the importer
 * then forwards {@code x} directly.
 *
 * <p>{@code %y, %m = "nn.dropout"(%x, %r, %t) : (tensor<3xf32>, tensor<f32>, tensor<i1>) -> (tensor<3xf32>, tensor<3xi1>)}
 */
public final class DropoutOp extends AbstractOpDefinition {

    public static final String NAME = "nn.dropout";

    public DropoutOp() {
        super(NAME, "dropout with run-time ratio and training flag; only its deterministic cases are evaluated",
                OpSchema.of(3).withResults(2), Set.of(Trait.PURE));
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        TensorType ratio = NnTypes.tensor(operandTypes, 1);
        TensorType training = NnTypes.tensor(operandTypes, 2);
        if (!ratio.elementType().isFloat() || ratio.rank() != 0) {
            throw new InvalidOpException("expects a scalar float ratio, found " + ratio.text());
        }
        if (training.elementType() != ScalarType.I1 || training.rank() != 0) {
            throw new InvalidOpException("expects a scalar i1 training_mode, found " + training.text());
        }
        return List.of(x, x.withElementType(ScalarType.I1));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        double ratio = operands.get(1).getDouble(0);
        boolean training = operands.get(2).getLong(0) != 0;
        if (training && ratio != 0) {
            throw new IllegalArgumentException("training-mode dropout with ratio " + ratio
                    + " is random; the reference semantics cover only ratio 0 or inference");
        }
        DenseElementsAttr mask = DenseElementsAttr.splat(x.type().withElementType(ScalarType.I1), 1);
        return List.of(x, mask);
    }
}
